/**
 * AWS managed policies that decide whether a Lambda function reaches DynamoDB, as documents:
 * their DynamoDB statements (and the ENI/logs ones the network needs), copied from AWS's
 * managed policy reference (policy versions current on 2026-12-01). Any other managed policy
 * attached to a function's role leaves the role unverified: it may grant or deny anything.
 */

/** A statement as IAM JSON. */
type Doc = { Statement: Array<{ Effect: 'Allow' | 'Deny'; Action: string[]; Resource: string | string[] }> };

export const MANAGED_POLICIES_DATE = '2026-12-01';

const LOGS = { Effect: 'Allow' as const, Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' };
const ENI = {
  Effect: 'Allow' as const,
  Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
  Resource: '*',
};

/** By policy name (the part after `:policy/`). */
export const MANAGED_POLICIES: Readonly<Record<string, Doc>> = {
  AmazonDynamoDBFullAccess: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:*', 'dax:*', 'application-autoscaling:*', 'cloudwatch:*'], Resource: '*' }] },
  AmazonDynamoDBFullAccess_v2: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:*', 'dax:*'], Resource: '*' }] },
  AmazonDynamoDBReadOnlyAccess: {
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:BatchGetItem',
          'dynamodb:Describe*',
          'dynamodb:List*',
          'dynamodb:GetAbacStatus',
          'dynamodb:GetItem',
          'dynamodb:GetResourcePolicy',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:PartiQLSelect',
          'dax:Describe*',
          'dax:List*',
          'dax:GetItem',
          'dax:BatchGetItem',
          'dax:Query',
          'dax:Scan',
        ],
        Resource: '*',
      },
    ],
  },
  AWSLambdaDynamoDBExecutionRole: {
    Statement: [{ Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
  AWSLambdaBasicExecutionRole: { Statement: [LOGS] },
  AWSLambdaVPCAccessExecutionRole: { Statement: [LOGS, ENI] },
  AWSLambdaENIManagementAccess: { Statement: [ENI] },
  AWSXRayDaemonWriteAccess: { Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'], Resource: '*' }] },
};

/** The document of an AWS managed policy ARN, or undefined when it is not one known here. */
export function managedPolicy(arn: string): Doc | undefined {
  const m = /^arn:aws[\w-]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
  return m ? MANAGED_POLICIES[m[1]] : undefined;
}

/** The document of an AWS managed policy by name (`AWSLambdaVPCAccessExecutionRole`), or undefined. */
export function managedPolicyByName(name: string): Doc | undefined {
  return Object.prototype.hasOwnProperty.call(MANAGED_POLICIES, name) ? MANAGED_POLICIES[name] : undefined;
}

/** Is this an AWS managed policy ARN (known here or not)? */
export function isManagedPolicyArn(arn: string): boolean {
  return /^arn:aws[\w-]*:iam::aws:policy\//.test(arn);
}
