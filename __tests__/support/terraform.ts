import { TerraformToolchain, terraformToolchain } from '../../scripts/terraform-offline';

/**
 * Terraform tests need terraform and the provider mirror. Where they are missing the
 * suite skips and says why, except under CI=true, where a missing tool is a failure
 * (DESIGN.md: CI must really run validate and plan).
 */
export function describeWithTerraform(name: string, body: (tool: () => TerraformToolchain) => void): void {
  const found = terraformToolchain();
  if ('missing' in found) {
    if (process.env.CI === 'true') {
      describe(name, () => {
        test('terraform toolchain is available under CI', () => {
          throw new Error(`CI=true but ${found.missing}`);
        });
      });
    } else {
      console.warn(`skipping "${name}": ${found.missing}`);
      describe.skip(`${name} (skipped: ${found.missing})`, () => body(() => found as never));
    }
    return;
  }
  describe(name, () => body(() => found));
}

/** Fails with terraform's own words when a run did not succeed. */
export function expectOk(run: { ok: boolean; stdout: string; stderr: string }, what: string): void {
  if (!run.ok) throw new Error(`${what} failed:\n${run.stdout}\n${run.stderr}`);
}
