/**
 * `npm run synth:module`: writes dist/terraform-aws-vpc-lambda-dynamodb, the module a
 * registry accepts and `terraform init` can use as a source (see modules/stacks/module/published-module.ts).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { bundleAll } from '../functions/bundle';
import { PUBLISHED_MODULE_NAME, writePublishedModule } from '../modules/stacks/module/published-module';

process.env.CHECKPOINT_DISABLE ??= '1';
const root = resolve(__dirname, '..');

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('npm run synth:module --')
    .description('Write the publishable Terraform module.')
    .option('-o, --out <dir>', 'output folder', join(root, 'dist', PUBLISHED_MODULE_NAME))
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    return (error as { exitCode?: number }).exitCode ?? 2;
  }
  const { out } = program.opts<{ out: string }>();
  try {
    const built = bundleAll();
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const written = await writePublishedModule(resolve(out), {
      bundles: { products: built.products.dir, userActivity: built['user-activity'].dir },
      examplesDir: join(root, 'examples'),
      testsDir: join(root, 'module-tests'),
      changelog: join(root, 'CHANGELOG.md'),
      upgrading: join(root, 'UPGRADING.md'),
      license: join(root, 'LICENSE'),
      version,
    });
    console.log(`wrote ${written} (version ${version})`);
    return 0;
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
