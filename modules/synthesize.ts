import { mkdtempSync, renameSync, rmSync, existsSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { App } from 'cdktf';
import { Construct } from 'constructs';

/** Where a synthesis wrote its stacks. */
export interface SynthesisResult {
  /** The output folder (`cdktf.out` by default). */
  readonly outdir: string;
}

/**
 * Builds and synthesizes an app into a fresh temporary folder, then swaps it in place of
 * `outdir`. Bad input throws while the constructs are built, before any file is written,
 * and a failed synthesis leaves the previous output untouched: never a half-written stack.
 */
export function synthesizeApp(outdir: string, hcl: boolean, build: (app: Construct) => void): SynthesisResult {
  const target = resolve(outdir);
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-`));
  try {
    const app = new App({ outdir: staging, hclOutput: hcl });
    build(app);
    app.synth();
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    return { outdir: target };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
