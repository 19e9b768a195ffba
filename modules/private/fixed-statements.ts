/**
 * The IAM statements whose content is fixed (no table, no ARN): the function role's `*`
 * statements. No framework import here, so `npm run check` (analysis/) reads them without
 * loading cdktf.
 */

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

