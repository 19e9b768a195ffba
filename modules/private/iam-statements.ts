import { Fn, Lazy } from 'cdktf';

export { LAMBDA_VPC_ENI_STATEMENT, PolicyStatement, XRAY_WRITE_STATEMENT } from './fixed-statements';
import type { PolicyStatement } from './fixed-statements';

/** A policy document for `jsonencode`. */
export function policyDocument(statements: PolicyStatement[]): { Version: string; Statement: PolicyStatement[] } {
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * A policy document for a `policy` argument. In JSON output it is a JSON string whose values
 * may hold Terraform references (`"${aws_x.y.arn}"`): Terraform interpolates them, and
 * anything reading the synthesized JSON (tests, the `npm run check` analysis) can parse it
 * with JSON.parse. CDKTF's HCL renderer does not escape quotes inside strings, so HCL output
 * (SYNTH_HCL_OUTPUT, the switch CDKTF's stacks read) gets `jsonencode({...})`, the HCL idiom.
 * Lazy, so statements granted after construction are included.
 */
export function policyJson(statements: () => PolicyStatement[]): string {
  return Lazy.stringValue({
    produce: () => {
      const document = policyDocument(statements());
      return process.env.SYNTH_HCL_OUTPUT === 'true' ? Fn.jsonencode(document) : JSON.stringify(document);
    },
  });
}
