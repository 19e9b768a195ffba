import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';

/**
 * The AWS partition (`aws`, `aws-cn`, `aws-us-gov`) of the stack, from one
 * `data "aws_partition"` shared by every construct that builds an ARN (flow logs, the
 * database's monitoring role): ARNs stay right outside the commercial partition.
 */
export function awsPartition(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild('partition');
  return (existing instanceof DataAwsPartition ? existing : new DataAwsPartition(stack, 'partition', {})).partition;
}
