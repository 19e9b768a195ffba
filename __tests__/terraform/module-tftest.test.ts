import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { init, terraform } from '../../scripts/terraform-offline';
import { publishedModule } from '../support/synth';
import { describeWithTerraform, expectOk } from '../support/terraform';

/**
 * The module's own `terraform test` files (module-tests/, shipped as tests/), run in the
 * published folder exactly as a user would: mocked AWS provider, `command = apply`, offline.
 */
describeWithTerraform('terraform test in the published module (mock provider, offline)', (tool) => {
  test('every run passes: defaults, region and zones from the provider, NAT none -> single -> per-az -> none, functions with tables, the database, an existing VPC, the S3 and interface endpoints, outputs on and off, every validation', async () => {
    const dir = await publishedModule();
    expect(readdirSync(join(dir, 'tests')).sort()).toEqual(['defaults.tftest.hcl', 'endpoints.tftest.hcl', 'functions.tftest.hcl', 'nat.tftest.hcl', 'outputs.tftest.hcl', 'region.tftest.hcl', 'validations.tftest.hcl']);
    expectOk(init(tool(), dir), 'terraform init');
    const run = terraform(tool(), dir, ['test']);
    expectOk(run, 'terraform test');
    const summary = /Success! (\d+) passed, 0 failed\./.exec(run.stdout);
    expect(summary).not.toBeNull();
    expect(Number(summary![1])).toBeGreaterThanOrEqual(60);
  }, 300000);
});
