import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildCdktn } from '../../scripts/cdktn/build';
import { rewriteFrameworkImports } from '../../scripts/cdktn/rewrite';

/**
 * The build of vpc-lambda-dynamodb/cdktn (scripts/cdktn/): the framework imports of tsc's
 * output rewritten, nothing else touched, and a build that fails when a cdktf module would
 * be left in it. The rewritten constructs themselves are type-checked and tested against
 * CDK Terrain in the cdktn tier (npm run test:cdktn).
 */
describe('rewriting the framework imports', () => {
  test('compiled JavaScript: require("cdktf") and the provider deep paths; comments, strings and other modules stay', () => {
    const js = [
      '"use strict";',
      'const cdktf_1 = require("cdktf");',
      'const constructs_1 = require("constructs");',
      'const vpc_1 = require("@cdktf/provider-aws/lib/vpc");',
      'const hcl = require("fflate");',
      '// require("cdktf") in a comment, and a word: cdktf synth',
      'const lazy = () => import("cdktf");',
      "const label = 'cdktf';",
    ].join('\n');
    const out = rewriteFrameworkImports(js, 'network.js');
    expect(out.text.split('\n')).toEqual([
      '"use strict";',
      'const cdktf_1 = require("cdktn");',
      'const constructs_1 = require("constructs");',
      'const vpc_1 = require("@cdktn/provider-aws/lib/vpc");',
      'const hcl = require("fflate");',
      '// require("cdktf") in a comment, and a word: cdktf synth',
      'const lazy = () => import("cdktn");',
      "const label = 'cdktf';",
    ]);
    expect(out.rewritten).toEqual(['cdktf -> cdktn', '@cdktf/provider-aws/lib/vpc -> @cdktn/provider-aws/lib/vpc', 'cdktf -> cdktn']);
    expect(out.leftovers).toEqual([]);
  });

  test('declarations: import ... from, export ... from and import("...") types', () => {
    const dts = [
      "import { Construct } from 'constructs';",
      "import { IResolvable } from 'cdktf';",
      "export { Vpc } from '@cdktf/provider-aws/lib/vpc/index';",
      'export declare const x: import("@cdktf/provider-aws/lib/subnet").Subnet;',
    ].join('\n');
    expect(rewriteFrameworkImports(dts, 'network.d.ts').text.split('\n')).toEqual([
      "import { Construct } from 'constructs';",
      "import { IResolvable } from 'cdktn';",
      "export { Vpc } from '@cdktn/provider-aws/lib/vpc/index';",
      'export declare const x: import("@cdktn/provider-aws/lib/subnet").Subnet;',
    ]);
  });

  test('a cdktf module the table does not know is left, and reported: other providers, deep cdktf paths, require.resolve', () => {
    const js = [
      'require("@cdktf/provider-null/lib/resource");',
      'require("cdktf/lib/terraform-stack");',
      'require.resolve("cdktf");',
      // The provider's barrel, as a string (deep-imports.test.ts refuses it as an import anywhere).
      'const name = "@cdktf/provider-aws";',
    ].join('\n');
    expect(rewriteFrameworkImports(js, 'x.js').leftovers.sort()).toEqual(['@cdktf/provider-aws', '@cdktf/provider-null/lib/resource', 'cdktf', 'cdktf/lib/terraform-stack'].sort());
    expect(rewriteFrameworkImports('/// <reference types="cdktf" />\nexport {};', 'x.d.ts').leftovers).toEqual(['cdktf']);
  });
});

describe('buildCdktn: lib/modules/{constructs,private} to lib/cdktn', () => {
  let root = '';
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vld-cdktn-build-'));
    write('modules/constructs/index.js', 'exports.x = require("./network");');
    write('modules/constructs/network.js', 'const cdktf_1 = require("cdktf");\nconst t = require("../private/tokens");');
    write('modules/constructs/network.d.ts', "import { Fn } from 'cdktf';\nexport declare const f: typeof Fn;");
    write('modules/private/tokens.js', 'const { Token } = require("cdktf");');
    write('modules/stacks/deploy.js', 'require("@cdktf/hcl-tools");');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('copies the two folders, rewritten, and not the cdktf-only stacks', () => {
    expect(buildCdktn(join(root, 'modules'), join(root, 'cdktn'))).toEqual({ files: 4, rewritten: 3 });
    expect(readFileSync(join(root, 'cdktn', 'constructs', 'network.js'), 'utf8')).toBe('const cdktf_1 = require("cdktn");\nconst t = require("../private/tokens");');
    expect(readFileSync(join(root, 'cdktn', 'private', 'tokens.js'), 'utf8')).toBe('const { Token } = require("cdktn");');
    expect(() => readFileSync(join(root, 'cdktn', 'stacks', 'deploy.js'))).toThrow(/ENOENT/);
  });

  test('fails naming the file and module when a cdktf import would be left, or a relative import leaves the two folders; writes nothing', () => {
    write('modules/constructs/flow-logs.js', 'require("@cdktf/provider-null/lib/resource");\nrequire("../stacks/deploy");');
    expect(() => buildCdktn(join(root, 'modules'), join(root, 'cdktn'))).toThrow(
      'cdktn build failed:\n' +
        'constructs/flow-logs.js: still names the cdktf module "@cdktf/provider-null/lib/resource" after the rewrite (add it to FRAMEWORK_MODULES in scripts/cdktn/rewrite.ts, or do not import it from the constructs)\n' +
        'constructs/flow-logs.js: imports "../stacks/deploy", which is outside lib/cdktn (constructs, private): the cdktn build would not load',
    );
    expect(() => readFileSync(join(root, 'cdktn', 'constructs', 'network.js'))).toThrow(/ENOENT/);
  });
});
