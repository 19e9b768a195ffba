import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { format as formatHcl } from '@cdktf/hcl-tools';
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
  // CDKTF 0.21's stacks read HCL mode only from SYNTH_HCL_OUTPUT (the App option renames
  // the file but still writes JSON into it), so the variable is set around the build.
  const previousHcl = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = hcl ? 'true' : 'false';
  try {
    const app = new App({ outdir: staging, hclOutput: hcl, ...appOptions });
    build(app);
    app.synth();
    if (hcl) await formatStacks(staging);
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
 * CDKTF renders `depends_on` entries as quoted strings, which Terraform accepts with a
 * "Quoted references are deprecated" warning on every validate; HCL wants bare references.
 */
export function unquoteDependsOn(hcl: string): string {
  return hcl.replace(/depends_on\s*=\s*\[([^\]]*)\]/g, (_all, inner: string) => `depends_on = [${inner.replace(/"([A-Za-z0-9_.\-[\]]+)"/g, '$1')}]`);
}

/**
 * CDKTF writes HCL unindented. HashiCorp's hclwrite formatter (wasm in @cdktf/hcl-tools)
 * indents it with no terraform needed; `terraform fmt`, where terraform is installed, also
 * unwraps interpolation-only strings, the last difference `terraform fmt -check` reports.
 */
async function formatStacks(outdir: string): Promise<void> {
  const stacks = join(outdir, 'stacks');
  for (const stack of readdirSync(stacks)) {
    const file = join(stacks, stack, 'cdk.tf');
    if (!existsSync(file)) continue;
    writeFileSync(file, await formatHcl(unquoteDependsOn(readFileSync(file, 'utf8'))));
    spawnSync('terraform', ['fmt', '-no-color', file], { stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  }
}
