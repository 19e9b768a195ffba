/**
 * Data at rest (VLD018-VLD020): DynamoDB point-in-time recovery and KMS encryption, and log
 * groups encrypted with a key of yours.
 */
import { Finding, finding } from './findings';
import { SECURITY_CHECKS } from './security-checks';
import { TerraformGraph } from './terraform-graph';

/** Runs VLD018-VLD020. */
export function dataProtectionFindings(graph: TerraformGraph): Finding[] {
  const c = SECURITY_CHECKS;
  const out: Finding[] = [];
  for (const table of graph.instancesOf('aws_dynamodb_table')) {
    // A replica or a table restored elsewhere still has its own settings: every table counts.
    const pitr = graph.argumentValue(table, 'point_in_time_recovery.enabled');
    if (pitr !== true && !graph.argumentUnknown(table, 'point_in_time_recovery')) {
      out.push(finding(c.dynamoDbPitr, table.address, 'point_in_time_recovery is not enabled: a bad write or delete cannot be rolled back'));
    }
    const sse = graph.argumentValue(table, 'server_side_encryption.enabled');
    if (sse !== true && !graph.argumentUnknown(table, 'server_side_encryption')) {
      out.push(finding(c.dynamoDbKmsEncryption, table.address, 'server_side_encryption is not enabled: encrypted with an AWS-owned key, outside your KMS and CloudTrail'));
    }
  }
  for (const group of graph.instancesOf('aws_cloudwatch_log_group')) {
    // A variable may set it in a stack; in a plan, a variable left null sets nothing.
    if (graph.argument(group, 'kms_key_id') === undefined || graph.plannedNull(group, 'kms_key_id')) {
      out.push(finding(c.logGroupKms, group.address, 'kms_key_id not set: encrypted by CloudWatch Logs with its own key'));
    }
  }
  return out;
}
