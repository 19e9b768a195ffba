import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, repoTsc } from '../support/package-install';
import { CDKTN_VERSIONS, cdktnModules, rewrittenSourceTree } from './support/cdktn';

/**
 * The rewritten constructs type-check against CDK Terrain: modules/constructs and
 * modules/private with the build's rewrite applied (cdktf -> cdktn, @cdktf/provider-aws/lib/X
 * -> @cdktn/provider-aws/lib/X), compiled with the repo's own strict options against the
 * cache's cdktn, @cdktn/provider-aws (hashicorp/aws 6.x bindings) and constructs. A provider
 * class, prop or attribute that cdktn lacks or types differently is an error here.
 */
test(`the rewritten tree type-checks against cdktn ${CDKTN_VERSIONS.cdktn} and @cdktn/provider-aws ${CDKTN_VERSIONS['@cdktn/provider-aws']}`, () => {
  const tree = rewrittenSourceTree();
  const nm = cdktnModules();
  const repo = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  const config = {
    compilerOptions: {
      ...repo.compilerOptions,
      types: ['node'],
      typeRoots: [join(repoRoot, 'node_modules', '@types')],
      baseUrl: tree,
      // The framework from the cache, everything else (esbuild, fflate, ...) from the repo.
      paths: {
        cdktn: [join(nm, 'cdktn')],
        '@cdktn/*': [join(nm, '@cdktn', '*')],
        constructs: [join(nm, 'constructs')],
        '*': [join(repoRoot, 'node_modules', '*')],
      },
    },
    include: ['modules/**/*.ts', join(repoRoot, 'types', '*.d.ts')],
  };
  writeFileSync(join(tree, 'tsconfig.json'), JSON.stringify(config, null, 2));
  const run = spawnSync(repoTsc, ['-p', join(tree, 'tsconfig.json'), '--listFilesOnly'], { cwd: tree, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const listed = run.stdout.split('\n');
  // It really compiled against CDK Terrain, not a cdktf found some other way.
  expect(listed.some((file) => file.startsWith(join(nm, 'cdktn', 'lib')))).toBe(true);
  expect(listed.some((file) => file.startsWith(join(nm, '@cdktn', 'provider-aws', 'lib', 'vpc')))).toBe(true);
  expect(listed.filter((file) => /[\\/](cdktf|@cdktf[\\/]provider-aws)[\\/]/.test(file))).toEqual([]);
  const check = spawnSync(repoTsc, ['-p', join(tree, 'tsconfig.json')], { cwd: tree, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect([check.status, check.stdout.trim()]).toEqual([0, '']);
}, 180000);
