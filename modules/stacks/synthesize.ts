import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { App, AppConfig } from 'cdktf';
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
export async function synthesizeApp(
  outdir: string,
  hcl: boolean,
  build: (app: Construct) => void,
  appOptions: AppConfig = {},
): Promise<SynthesisResult> {
  const target = resolve(outdir);
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-`));
  // CDKTF's stacks read HCL mode from SYNTH_HCL_OUTPUT; the project's printer renders HCL
  // from the JSON instead, so CDKTF always writes JSON here.
  const previousHcl = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = 'false';
  try {
    const app = new App({ outdir: staging, ...appOptions, hclOutput: false });
    build(app);
    app.synth();
    if (hcl) await printStacks(staging);
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    return { outdir: target };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    if (previousHcl === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previousHcl;
  }
}

/**
 * `--hcl`: each stack's cdk.tf.json becomes cdk.tf through the project's schema-aware
 * printer (modules/stacks/hcl), formatted by hclwrite; the manifest then names cdk.tf, as
 * CDKTF's own HCL mode did. CDKTF 0.21's renderer is not used: it crashes on a variable
 * whose default is null and drops `nullable = false`.
 */
async function printStacks(outdir: string): Promise<void> {
  // Loaded here, not at the top: the printer starts @cdktf/hcl-tools' Go/WebAssembly runtime
  // as soon as it is required (~0.1 s of CPU), which a JSON synth never needs.
  const { renderHcl } = await import('./hcl/printer');
  const stacks = join(outdir, 'stacks');
  for (const stack of readdirSync(stacks)) {
    const file = join(stacks, stack, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    writeFileSync(join(stacks, stack, 'cdk.tf'), await renderHcl(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>));
    rmSync(file);
  }
  const manifestFile = join(outdir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { stacks?: Record<string, { synthesizedStackPath?: string }> };
    for (const stack of Object.values(manifest.stacks ?? {})) {
      if (stack.synthesizedStackPath?.endsWith('cdk.tf.json')) stack.synthesizedStackPath = stack.synthesizedStackPath.replace(/cdk\.tf\.json$/, 'cdk.tf');
    }
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}
