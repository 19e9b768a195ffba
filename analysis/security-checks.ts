/**
 * Security checks in the spirit of Checkov/tfsec, for what this module creates. Ids are
 * stable (VLD0xx); the public-subnet check is troubleshooting case VLD106, listed here too.
 * VLD012-VLD022 are the scanners' rules that matter for this system (RDS, DynamoDB, log
 * groups, function policies, open egress), run in database-checks.ts,
 * data-protection-checks.ts and access-checks.ts; sarif.ts maps each to the Checkov and
 * Trivy ids it corresponds to.
 */
import { CheckDefinition, Finding, finding } from './findings';
import { documentFrom, isUnknownPolicy, parsePolicy, wildcardDataActions } from './policy';
import { isObject } from './evaluate/values';
import { Reachability } from './reachability';
import { strings, TerraformGraph } from './terraform-graph';
import { TROUBLESHOOTING } from './troubleshooting';
import { databaseFindings } from './database-checks';
import { dataProtectionFindings } from './data-protection-checks';
import { functionPolicyFindings, functionUrlFindings, openEgressFindings } from './access-checks';
import { moduleInputFindings } from './module-inputs';

/** The security checks, by stable id. */
export const SECURITY_CHECKS = {
  flowLogs: {
    id: 'VLD001',
    title: 'VPC flow logs on (traffic_type ALL)',
    severity: 'warning',
    fix: 'Keep flow logs on: flow_logs_enabled = true (module), flowLogs.enabled (constructs and deploy config): an aws_flow_log on the VPC with traffic_type ALL',
  },
  logRetention: {
    id: 'VLD002',
    title: 'Log groups have a retention',
    severity: 'warning',
    fix: 'Set retention_in_days on every aws_cloudwatch_log_group: flow_log_retention_days and functions.<key>.log_retention_days (module), flowLogs.retentionInDays and functions.logRetentionInDays (constructs and deploy config)',
  },
  wildcardActions: {
    id: 'VLD003',
    title: 'No wildcard data actions in IAM policies',
    severity: 'error',
    fix: 'Name the DynamoDB actions (dynamodb:GetItem, dynamodb:PutItem, ...) instead of dynamodb:* or *',
  },
  internetEgressWithoutNat: {
    id: 'VLD004',
    title: 'No 0.0.0.0/0 egress without NAT',
    severity: 'warning',
    fix: 'Remove the 0.0.0.0/0 egress rule, or turn NAT on if the function needs the internet: nat_mode = "single" or "per-az" (module), natMode (constructs and deploy config)',
  },
  rdsPublic: {
    id: 'VLD005',
    title: 'RDS instance not publicly accessible',
    severity: 'error',
    fix: 'Set publicly_accessible = false on aws_db_instance',
  },
  rdsEncrypted: {
    id: 'VLD006',
    title: 'RDS storage encrypted',
    severity: 'error',
    fix: 'Set storage_encrypted = true on aws_db_instance',
  },
  plaintextSecret: {
    id: 'VLD007',
    title: 'No plaintext secret',
    severity: 'error',
    fix: 'Use RDS IAM authentication or a Secrets Manager secret (manage_master_user_password); never a password in an environment variable or in state',
  },
  endpointPolicyScoped: {
    id: 'VLD008',
    title: 'Endpoint policy scoped to the tables',
    severity: 'warning',
    fix: 'Keep endpointPolicy "system-tables" (named actions on the system tables only)',
  },
  defaultSecurityGroup: {
    id: 'VLD009',
    title: 'Default security group of a created VPC has no rules',
    severity: 'warning',
    fix: 'Manage aws_default_security_group with ingress = [] and egress = []',
  },
  unresolvedToken: {
    id: 'VLD011',
    title: 'No unresolved CDKTF token',
    severity: 'error',
    fix: 'Resolve the value inside the stack (Token.asString/Fn.* or Lazy), not with JSON.stringify at construct time: AWS receives the placeholder text',
  },
  unusedNat: {
    id: 'VLD010',
    title: 'NAT not paid for unused',
    severity: 'warning',
    fix: "Turn NAT off (nat_mode = \"none\" in the module, natMode: 'none' in the constructs and deploy config), or allow a function's internet egress (functions.<key>.internet_egress / allowInternetEgress): DynamoDB goes through the free endpoint either way",
  },
  rdsDeletionProtection: {
    id: 'VLD012',
    title: 'RDS deletion protection on',
    severity: 'warning',
    fix: 'Set deletion_protection = true on aws_db_instance (database.deletionProtection, database_deletion_protection)',
  },
  rdsBackups: {
    id: 'VLD013',
    title: 'RDS automated backups kept',
    severity: 'warning',
    fix: 'Set backup_retention_period to 1 or more days (7 by default here) on aws_db_instance',
  },
  rdsIamAuth: {
    id: 'VLD014',
    title: 'RDS IAM database authentication on',
    severity: 'warning',
    fix: 'Set iam_database_authentication_enabled = true on aws_db_instance: functions sign a token instead of holding a password',
  },
  rdsLogExports: {
    id: 'VLD015',
    title: 'RDS logs exported to CloudWatch',
    severity: 'warning',
    fix: 'Set enabled_cloudwatch_logs_exports on aws_db_instance (postgres: ["postgresql", "upgrade"]) and create the log groups with a retention',
  },
  rdsPerformanceInsights: {
    id: 'VLD016',
    title: 'RDS Performance Insights on',
    severity: 'warning',
    fix: 'Set performance_insights_enabled = true on aws_db_instance (7 days retention is free)',
  },
  rdsMinorUpgrades: {
    id: 'VLD017',
    title: 'RDS minor version upgrades automatic',
    severity: 'warning',
    fix: 'Leave auto_minor_version_upgrade at true on aws_db_instance: security patches arrive as minor versions',
  },
  dynamoDbPitr: {
    id: 'VLD018',
    title: 'DynamoDB point-in-time recovery on',
    severity: 'warning',
    fix: 'Set point_in_time_recovery { enabled = true } on aws_dynamodb_table (tables.pointInTimeRecovery, point_in_time_recovery)',
  },
  dynamoDbKmsEncryption: {
    id: 'VLD019',
    title: 'DynamoDB table encrypted with a KMS key',
    severity: 'warning',
    fix: 'Set server_side_encryption { enabled = true } on aws_dynamodb_table: the AWS managed key (aws/dynamodb), or yours with kms_key_arn; without it the key is AWS-owned and its use is not in your CloudTrail',
  },
  logGroupKms: {
    id: 'VLD020',
    title: 'Log groups encrypted with your KMS key',
    severity: 'info',
    fix: 'Set kms_key_id on aws_cloudwatch_log_group (logKmsKeyArn, log_kms_key_arn) to a key whose policy lets logs.<region>.amazonaws.com use it; CloudWatch Logs encrypts at rest either way',
  },
  functionPolicyWildcardResource: {
    id: 'VLD021',
    title: 'No Resource "*" in function policies',
    severity: 'warning',
    fix: 'Name the resources (table, queue, secret ARNs). Allowed on "*": the VPC ENI actions Lambda needs (ec2:CreateNetworkInterface, DescribeNetworkInterfaces, DescribeSubnets, DeleteNetworkInterface, Assign/UnassignPrivateIpAddresses) and X-Ray writes (xray:PutTraceSegments, PutTelemetryRecords), as AWSLambdaVPCAccessExecutionRole and AWSXRayDaemonWriteAccess allow them',
  },
  openEgress: {
    id: 'VLD022',
    title: 'Security group egress to 0.0.0.0/0',
    severity: 'info',
    fix: 'Egress to the internet is open on this group: keep it only where a function calls the internet (through NAT); DynamoDB needs only 443 to its prefix list',
  },
  functionUrlAuth: {
    id: 'VLD024',
    title: 'Function URLs need IAM auth',
    severity: 'warning',
    fix: 'Keep authorization_type = "AWS_IAM" on aws_lambda_function_url (function_url.auth_type, functionUrl.authType: the default): with NONE anyone on the internet can invoke the function',
  },
  moduleInputs: {
    id: 'VLD023',
    title: 'Module arguments are declared inputs',
    severity: 'error',
    fix: "Spell the attribute as the module's variable declares it (see the module's variables.tf): Terraform drops an undeclared object attribute and plans the default",
  },
} as const satisfies Record<string, CheckDefinition>;

/** Every check the report lists in its security table, in order. */
export const SECURITY_TABLE: readonly CheckDefinition[] = [
  SECURITY_CHECKS.flowLogs,
  SECURITY_CHECKS.logRetention,
  SECURITY_CHECKS.wildcardActions,
  TROUBLESHOOTING.publicSubnet,
  SECURITY_CHECKS.internetEgressWithoutNat,
  SECURITY_CHECKS.rdsPublic,
  SECURITY_CHECKS.rdsEncrypted,
  SECURITY_CHECKS.plaintextSecret,
  SECURITY_CHECKS.endpointPolicyScoped,
  SECURITY_CHECKS.defaultSecurityGroup,
  SECURITY_CHECKS.unusedNat,
  SECURITY_CHECKS.unresolvedToken,
  SECURITY_CHECKS.rdsDeletionProtection,
  SECURITY_CHECKS.rdsBackups,
  SECURITY_CHECKS.rdsIamAuth,
  SECURITY_CHECKS.rdsLogExports,
  SECURITY_CHECKS.rdsPerformanceInsights,
  SECURITY_CHECKS.rdsMinorUpgrades,
  SECURITY_CHECKS.dynamoDbPitr,
  SECURITY_CHECKS.dynamoDbKmsEncryption,
  SECURITY_CHECKS.logGroupKms,
  SECURITY_CHECKS.functionPolicyWildcardResource,
  SECURITY_CHECKS.openEgress,
  SECURITY_CHECKS.moduleInputs,
  SECURITY_CHECKS.functionUrlAuth,
];

/** What CDKTF writes when a token escaped resolution. */
const UNRESOLVED = /<unresolved-token>|\$\{TfToken\[|\$\{Token\[/;

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
/** Names that hold where a secret is, not the secret. */
const SECRET_POINTER = /(_ARN|_ID|_NAME|_AUTH)$/i;

/** Runs the security checks (not VLD106, which troubleshooting reports). */
export function securityFindings(graph: TerraformGraph, reach: Reachability): Finding[] {
  const c = SECURITY_CHECKS;
  const out: Finding[] = [];

  // VLD001: a flow log with traffic ALL on each created VPC, or any when the VPC is not created here.
  const vpcs = graph.instancesOf('aws_vpc');
  const flowLogs = graph.instancesOf('aws_flow_log');
  const allTraffic = flowLogs.filter((f) => graph.value(f, 'traffic_type') === 'ALL');
  if (vpcs.length === 0 && reach.functions.length > 0 && allTraffic.length === 0) out.push(finding(c.flowLogs, 'vpc', 'no aws_flow_log with traffic_type ALL for the VPC'));
  for (const vpc of vpcs) {
    if (allTraffic.some((f) => graph.refersTo(f, 'vpc_id', vpc))) continue;
    const unresolved = allTraffic.flatMap((f) => graph.resolve(f, 'vpc_id').unresolved.map((u) => `${f.address}.vpc_id: ${u}`));
    out.push(finding(c.flowLogs, vpc.address, unresolved.length > 0 ? `not verified: cannot resolve which VPC the flow log is on (${unresolved.join('; ')})` : 'no aws_flow_log with traffic_type ALL on this VPC'));
  }

  // VLD002
  for (const group of graph.instancesOf('aws_cloudwatch_log_group')) {
    // A variable (`${var.x}`) sets it too: only a missing or zero retention is kept forever.
    const days = graph.argument(group, 'retention_in_days') === undefined ? undefined : graph.argumentValue(group, 'retention_in_days') ?? 'set';
    if (days === undefined || days === 0) out.push(finding(c.logRetention, group.address, 'retention_in_days not set: logs are kept (and billed) forever'));
  }

  // VLD003
  for (const type of ['aws_iam_role_policy', 'aws_iam_policy']) {
    for (const p of graph.instancesOf(type)) {
      const doc = parsePolicy(graph, p);
      if (doc === 'absent' || isUnknownPolicy(doc)) continue;
      const wild = wildcardDataActions(doc);
      if (wild.length > 0) out.push(finding(c.wildcardActions, p.address, `allows ${wild.join(', ')}`));
    }
  }
  for (const role of graph.instancesOf('aws_iam_role')) {
    const inline = graph.argument(role, 'inline_policy');
    for (const block of Array.isArray(inline) ? inline : []) {
      if (!isObject(block) || typeof block.policy !== 'string' || block.policy === '') continue;
      const doc = documentFrom(role, block.policy, `${role.address}.inline_policy`);
      if (!isUnknownPolicy(doc) && wildcardDataActions(doc).length > 0) out.push(finding(c.wildcardActions, role.address, `inline_policy allows ${wildcardDataActions(doc).join(', ')}`));
    }
  }
  for (const a of graph.instancesOf('aws_iam_role_policy_attachment')) {
    const managed = graph.resolve(a, 'policy_arn').literals.find((arn) => /:policy\/(AmazonDynamoDBFullAccess|AdministratorAccess|PowerUserAccess)$/.test(arn));
    if (managed) out.push(finding(c.wildcardActions, a.address, `attaches ${managed}`));
  }

  // VLD004 and VLD010, per function.
  for (const fn of reach.functions) {
    const nat = fn.subnets.some((s) => s.internet === 'nat');
    if (fn.internetAskedFor && !nat && !fn.subnets.some((s) => s.internet === 'internet-gateway')) {
      out.push(finding(c.internetEgressWithoutNat, fn.securityGroups.join(', '), `${fn.name} allows egress to 0.0.0.0/0 but its subnets have no NAT route: only what the VPC's endpoints serve (DynamoDB through the gateway endpoint) answers; the rest of the internet times out`));
    }
  }
  // VLD010: NAT paid for and no function behind it allowed out (one that is serves them all).
  const behindNat = reach.functions.filter((fn) => fn.subnets.some((s) => s.internet === 'nat'));
  if (behindNat.length > 0 && !behindNat.some((fn) => fn.internetAskedFor)) {
    for (const fn of behindNat) out.push(finding(c.unusedNat, fn.address, `${fn.name}'s subnets route 0.0.0.0/0 through NAT, but no function behind that NAT allows internet egress`));
  }

  // VLD005, VLD006, VLD007 (database)
  for (const db of graph.instancesOf('aws_db_instance')) {
    if (graph.argumentValue(db, 'publicly_accessible') === true) out.push(finding(c.rdsPublic, db.address, 'publicly_accessible = true'));
    if (graph.argumentValue(db, 'storage_encrypted') !== true && !graph.argumentUnknown(db, 'storage_encrypted')) out.push(finding(c.rdsEncrypted, db.address, 'storage_encrypted is not true'));
    const literal = ['password', 'password_wo'].some((k) => {
      const e = graph.expression(db, k);
      return e !== undefined && e.k === 'lit' && typeof e.v === 'string' && e.v !== '';
    });
    if (literal) out.push(finding(c.plaintextSecret, db.address, 'password is a literal in the configuration (and in state)'));
  }
  for (const fn of graph.instancesOf('aws_lambda_function')) {
    const variables = graph.raw(fn, 'environment.variables');
    if (!variables || typeof variables !== 'object') continue;
    for (const [key, value] of Object.entries(variables as Record<string, unknown>)) {
      if (!SECRET_NAME.test(key) || SECRET_POINTER.test(key)) continue;
      if (typeof value === 'string' && value !== '') out.push(finding(c.plaintextSecret, fn.address, `environment variable ${key} holds a secret in plain text (visible in the console and in state)`));
    }
  }

  // VLD008
  for (const address of reach.endpoints) {
    const e = graph.resource(address)?.instances[0] ?? graph.instancesOf('aws_vpc_endpoint').find((i) => i.address === address);
    if (!e) continue;
    const doc = parsePolicy(graph, e);
    if (doc === 'absent') out.push(finding(c.endpointPolicyScoped, e.address, 'no endpoint policy: AWS default full access to every DynamoDB table in the region'));
    else if (!isUnknownPolicy(doc)) {
      const open = doc.statements.filter((s) => s.effect === 'Allow' && (s.resources.includes('*') || wildcardDataActions({ owner: e, statements: [s] }).length > 0));
      if (open.length > 0) out.push(finding(c.endpointPolicyScoped, e.address, 'endpoint policy allows wildcard actions or resources'));
    }
  }

  // VLD011: a placeholder in any attribute, once per resource.
  for (const resource of graph.resources) {
    const bad = Object.entries(resource.config).filter(([, v]) => strings(v).some((t) => UNRESOLVED.test(t)));
    if (bad.length > 0) out.push(finding(c.unresolvedToken, resource.address, `${bad.map(([k]) => k).join(', ')} holds an unresolved token placeholder`));
  }

  // VLD009
  for (const vpc of vpcs) {
    const managed = graph.instancesOf('aws_default_security_group').find((g) => graph.refersTo(g, 'vpc_id', vpc));
    const empty = (v: unknown) => v === undefined || (Array.isArray(v) && v.length === 0);
    if (!managed) out.push(finding(c.defaultSecurityGroup, vpc.address, 'the default security group keeps its allow rules'));
    else if (!empty(graph.raw(managed, 'ingress')) || !empty(graph.raw(managed, 'egress'))) out.push(finding(c.defaultSecurityGroup, managed.address, 'has rules'));
  }
  out.push(...databaseFindings(graph), ...dataProtectionFindings(graph), ...functionPolicyFindings(graph), ...openEgressFindings(graph), ...moduleInputFindings(graph), ...functionUrlFindings(graph));
  return out;
}
