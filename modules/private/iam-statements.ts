import { Fn, Lazy } from 'cdktf';

/** One IAM policy statement, in the JSON shape IAM expects. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, string> | '*';
  readonly Action: string[];
  readonly Resource?: string[] | string;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * The ENI actions Lambda needs to place a function in a VPC, on `*` as in AWS's
 * AWSLambdaVPCAccessExecutionRole: the Describe actions take no resource, and the network
 * interfaces Lambda creates and deletes do not exist when the role is written. With X-Ray's
 * writes, the only `*` (npm run check VLD021 allows exactly these).
 */
export const LAMBDA_VPC_ENI_STATEMENT: PolicyStatement = {
  Sid: 'ManageFunctionEnis',
  Effect: 'Allow',
  Action: [
    'ec2:CreateNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSubnets',
    'ec2:DeleteNetworkInterface',
    'ec2:AssignPrivateIpAddresses',
    'ec2:UnassignPrivateIpAddresses',
  ],
  Resource: '*',
};

/** X-Ray's trace writes for `tracing: Active`: like the ENI actions, IAM scopes them to no resource. */
export const XRAY_WRITE_STATEMENT: PolicyStatement = {
  Sid: 'WriteTraces',
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: '*',
};

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
