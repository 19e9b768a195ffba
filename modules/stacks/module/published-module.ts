import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ModuleJson } from './module-docs';
import { renderModuleReadme } from './module-readme';
import { MODULE_REQUIRED_AWS_PROVIDER, MODULE_REQUIRED_TERRAFORM, ModuleStack } from './module-stack';
import { synthesizeApp } from '../synthesize';
import { zipFolderSync } from '../../private/reproducible-zip';

/** The folder name registries expect: terraform-<provider>-<name>. */
export const PUBLISHED_MODULE_NAME = 'terraform-aws-vpc-lambda-dynamodb';

/** Where the pieces of the published module come from. */
export interface PublishedModuleSources {
  /**
   * The repo's two bundled demo handlers (functions/bundle.ts), shipped as
   * `assets/products.zip` and `assets/user-activity.zip`: the module does not reference
   * them, its examples do (`${path.module}/../../assets/products.zip`).
   */
  readonly bundles: { readonly products: string; readonly userActivity: string };
  /** Folder of example root modules (each calls `source = "../.."`). */
  readonly examplesDir: string;
  /** CHANGELOG.md to ship. */
  readonly changelog: string;
  /** Module version. */
  readonly version: string;
}

/** Where the demo handlers land inside the module folder. */
export const DEMO_ASSETS = { products: 'assets/products.zip', userActivity: 'assets/user-activity.zip' } as const;

/**
 * Writes the registry-ready module folder: `main.tf.json` (no provider, no backend), the
 * demo handlers' zips under `assets/` (written reproducibly, for the examples), a README whose inputs
 * and outputs tables are generated from `main.tf.json`, `examples/`, CHANGELOG.md and
 * VERSION. Built in a staging folder and swapped in whole: never a half-written module.
 *
 * The module ships as Terraform JSON: CDKTF 0.21's HCL renderer fails on a variable whose
 * default is null, and this module has several.
 */
export async function writePublishedModule(target: string, sources: PublishedModuleSources): Promise<string> {
  const destination = resolve(target);
  const parent = dirname(destination);
  mkdirSync(parent, { recursive: true });
  const synthDir = mkdtempSync(join(parent, `.${basename(destination)}-synth-`));
  const staging = mkdtempSync(join(parent, `.${basename(destination)}-`));
  try {
    await synthesizeApp(synthDir, false, (app) => new ModuleStack(app, 'module'), { skipValidation: true });
    const stackDir = join(synthDir, 'stacks', 'module');
    const mainJson = readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8');
    writeFileSync(join(staging, 'main.tf.json'), mainJson);
    mkdirSync(join(staging, 'assets'));
    writeFileSync(join(staging, DEMO_ASSETS.products), zipFolderSync(sources.bundles.products));
    writeFileSync(join(staging, DEMO_ASSETS.userActivity), zipFolderSync(sources.bundles.userActivity));
    cpSync(sources.examplesDir, join(staging, 'examples'), { recursive: true, filter: (src) => !/\.terraform|\.tfstate|\.tfplan|override\.tf/.test(src) });
    cpSync(sources.changelog, join(staging, 'CHANGELOG.md'));
    writeFileSync(join(staging, 'VERSION'), `${sources.version}\n`);
    const examples = readdirSync(sources.examplesDir).filter((name) => existsSync(join(sources.examplesDir, name, 'main.tf'))).sort();
    writeFileSync(
      join(staging, 'README.md'),
      renderModuleReadme({
        module: JSON.parse(mainJson) as ModuleJson,
        version: sources.version,
        examples,
        requiredTerraform: MODULE_REQUIRED_TERRAFORM,
        requiredAwsProvider: MODULE_REQUIRED_AWS_PROVIDER,
      }),
    );
    rmSync(destination, { recursive: true, force: true });
    renameSync(staging, destination);
    return destination;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(synthDir, { recursive: true, force: true });
  }
}
