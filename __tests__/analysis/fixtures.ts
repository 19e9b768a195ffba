/**
 * Broken stacks for the troubleshooting cases: the default stack synthesized by the
 * constructs, then one thing edited in its JSON (the constructs refuse to produce these).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, CheckReport } from '../../analysis/analyze';
import { graphFromStack, StackJson } from '../../analysis/terraform-graph';
import { DeployConfigInput } from '../../modules/stacks/deploy/deploy-config';
import { synthDeploy, TerraformJson } from '../support/synth';

type Blocks = Record<string, Record<string, unknown>>;

const cache = new Map<string, TerraformJson>();
/** A fresh copy of a synthesized stack (synthesized once per configuration per file). */
export function stack(config: DeployConfigInput = {}): TerraformJson {
  const key = JSON.stringify(config);
  if (!cache.has(key)) cache.set(key, synthDeploy(config));
  return structuredClone(cache.get(key)!);
}

/** Resources of a type (mutable). */
export function blocks(json: TerraformJson, type: string): Blocks {
  json.resource ??= {};
  json.resource[type] ??= {};
  return json.resource[type];
}

/** The name of the one resource of a type whose name matches. */
export function nameOf(json: TerraformJson, type: string, pattern: RegExp = /./): string {
  const names = Object.keys(blocks(json, type)).filter((n) => pattern.test(n));
  if (names.length !== 1) throw new Error(`expected one ${type} matching ${pattern}, found ${names.join(', ') || 'none'}`);
  return names[0];
}

/** Runs the whole check on a stack JSON. */
export function check(json: TerraformJson): CheckReport {
  return analyze(graphFromStack(json as StackJson));
}

/** Ids of the error findings, deduplicated and sorted. */
export function errorIds(report: CheckReport): string[] {
  return [...new Set([...report.troubleshooting, ...report.security].filter((f) => f.severity === 'error').map((f) => f.id))].sort();
}

/** Writes a stack JSON as a stack folder for the CLI. */
export function writeStack(json: TerraformJson): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'vld-check-')), 'stack');
  mkdirSync(dir);
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  return dir;
}

/** Parses a policy JSON string, edits it, writes it back. */
export function editPolicy(block: Record<string, unknown>, edit: (doc: { Statement: Array<Record<string, unknown>> }) => void): void {
  const doc = JSON.parse(block.policy as string) as { Statement: Array<Record<string, unknown>> };
  edit(doc);
  block.policy = JSON.stringify(doc);
}

/** The broken stacks, one per troubleshooting case, with the finding each must produce. */
export const BROKEN: Array<{ case: string; id: string; build: () => TerraformJson }> = [
  {
    case: 'no endpoint (the seed\'s "Task timed out after 3.00 seconds")',
    id: 'VLD101',
    build: () => {
      const json = stack();
      delete json.resource!.aws_vpc_endpoint;
      return json;
    },
  },
  {
    case: "endpoint not attached to one function route table",
    id: 'VLD102',
    build: () => {
      const json = stack();
      const endpoint = blocks(json, 'aws_vpc_endpoint')[nameOf(json, 'aws_vpc_endpoint', /dynamodb/)];
      const table = nameOf(json, 'aws_route_table', /private/);
      endpoint.route_table_ids = [`\${aws_route_table.${table}[0].id}`];
      return json;
    },
  },
  {
    case: 'IAM role lacks the DynamoDB action',
    id: 'VLD103',
    build: () => {
      const json = stack();
      const policy = blocks(json, 'aws_iam_role_policy')[nameOf(json, 'aws_iam_role_policy', /products_role_policy$/)];
      editPolicy(policy, (doc) => {
        doc.Statement = doc.Statement.filter((s) => !JSON.stringify(s.Action).includes('dynamodb:'));
      });
      return json;
    },
  },
  {
    case: 'endpoint policy denies the action',
    id: 'VLD104',
    build: () => {
      const json = stack();
      const endpoint = blocks(json, 'aws_vpc_endpoint')[nameOf(json, 'aws_vpc_endpoint', /dynamodb/)];
      editPolicy(endpoint, (doc) => {
        doc.Statement.push({ Sid: 'NoWrites', Effect: 'Deny', Principal: '*', Action: ['dynamodb:PutItem'], Resource: '*' });
      });
      return json;
    },
  },
  {
    case: 'security group egress blocks 443 to the prefix list',
    id: 'VLD105',
    build: () => {
      const json = stack();
      delete blocks(json, 'aws_vpc_security_group_egress_rule')[nameOf(json, 'aws_vpc_security_group_egress_rule', /products.*dynamodb_https$/)];
      return json;
    },
  },
  {
    case: 'function in a public subnet',
    id: 'VLD106',
    build: () => {
      const json = stack();
      const vpc = nameOf(json, 'aws_vpc');
      const table = nameOf(json, 'aws_route_table', /private/);
      blocks(json, 'aws_internet_gateway').broken_igw = { vpc_id: `\${aws_vpc.${vpc}[0].id}` };
      blocks(json, 'aws_route').broken_public_default = {
        route_table_id: `\${aws_route_table.${table}[0].id}`,
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: '${aws_internet_gateway.broken_igw.id}',
      };
      return json;
    },
  },
  {
    case: "network ACL on the private subnets without the answers' ports (stateless: tcp 1024-65535 in)",
    id: 'VLD110',
    build: () => {
      const json = stack();
      const vpc = nameOf(json, 'aws_vpc');
      const subnet = nameOf(json, 'aws_subnet', /private/);
      const rule = (rule_no: number, from_port: number, to_port: number, cidr_block: string) => ({ rule_no, action: 'allow', protocol: 'tcp', from_port, to_port, cidr_block, ipv6_cidr_block: null, icmp_code: null, icmp_type: null });
      blocks(json, 'aws_network_acl').broken_private = {
        vpc_id: `\${aws_vpc.${vpc}[0].id}`,
        subnet_ids: `\${aws_subnet.${subnet}[*].id}`,
        egress: [rule(100, 443, 443, '0.0.0.0/0')],
        // Answers only from inside the VPC: DynamoDB's come from its public prefix list.
        ingress: [rule(100, 1024, 65535, '10.0.0.0/8')],
      };
      return json;
    },
  },
  {
    case: "the table's resource policy denies writes that do not come through an endpoint, naming an old endpoint's id",
    id: 'VLD111',
    build: () => {
      const json = stack();
      const table = nameOf(json, 'aws_dynamodb_table', /products/);
      blocks(json, 'aws_dynamodb_resource_policy').products_only_via_endpoint = {
        resource_arn: `\${aws_dynamodb_table.${table}.arn}`,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'OnlyThroughTheEndpoint', Effect: 'Deny', Principal: '*', Action: 'dynamodb:*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f67890' } } }] }),
      };
      return json;
    },
  },
  {
    case: 'database security group not admitting the function',
    id: 'VLD107',
    build: () => {
      const json = stack();
      delete json.resource!.aws_vpc_security_group_ingress_rule;
      return json;
    },
  },
];
