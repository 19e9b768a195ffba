import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A tiny stand-in for the few read-only AWS APIs that data sources call at plan time
 * (EC2, STS, IAM, DynamoDB), so fixtures that read an existing network, table or managed
 * policy plan offline. Fixed fake data, nothing is ever created. It runs as a child process
 * (tests run terraform through spawnSync, which blocks their own event loop) and logs every
 * call to a file, one JSON line each, so a test can see what terraform asked.
 *
 * Point the provider at it with {@link AwsApiStub.providerSettings}.
 */

/** The fake account, region and existing resources the stub answers with. */
export const FAKE_AWS = {
  account: '123456789012',
  region: 'us-east-1',
  vpc: { id: 'vpc-0existing', cidr: '10.50.0.0/16', name: 'shared-services' },
  /** The existing subnets: two private (each with its own route table), one public. */
  subnets: [
    { id: 'subnet-0priv1', az: 'us-east-1a', cidr: '10.50.1.0/24', tier: 'private', routeTable: 'rtb-0priv' },
    { id: 'subnet-0priv2', az: 'us-east-1b', cidr: '10.50.2.0/24', tier: 'private', routeTable: 'rtb-0priv2' },
    { id: 'subnet-0pub1', az: 'us-east-1a', cidr: '10.50.101.0/24', tier: 'public', routeTable: 'rtb-0pub' },
  ],
  /** The VPC's main route table (no subnet is associated with it explicitly). */
  mainRouteTable: 'rtb-0main',
  internetGateway: 'igw-0existing',
  /** An existing table read through data "aws_dynamodb_table". */
  table: { name: 'orders-prod', hashKey: 'id', created: 1700000000 },
  /** The AWS managed DynamoDB prefix list of us-east-1 (its real id). */
  prefixLists: { dynamodb: 'pl-02cd2c6b', s3: 'pl-63a5400a' },
} as const;

/** One call the stub answered. */
export interface StubCall {
  readonly service: 'ec2' | 'sts' | 'iam' | 'dynamodb' | 'unknown';
  readonly action: string;
  readonly status: number;
}

/** A running stub. */
export interface AwsApiStub {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The provider arguments that send the data sources' calls here (no credentials, no real AWS). */
  providerSettings(): Record<string, unknown>;
  /** Every call so far. */
  calls(): StubCall[];
  stop(): void;
}

/** Starts the stub in a child process; resolves once it listens. */
export async function startAwsApiStub(timeoutMs = 20000): Promise<AwsApiStub> {
  const dir = mkdtempSync(join(tmpdir(), 'aws-api-stub-'));
  const portFile = join(dir, 'port');
  const callLog = join(dir, 'calls.jsonl');
  const output = join(dir, 'stub.log');
  const log = openSync(output, 'w');
  // One node process with tsx's loader (no tsx CLI in between); its output goes to a file,
  // never a pipe nobody drains while spawnSync blocks. It exits by itself when this process is gone.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', __filename, portFile, callLog, String(process.pid)], {
    cwd: resolve(__dirname, '..', '..'),
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const started = Date.now();
  while (!existsSync(portFile) || readFileSync(portFile, 'utf8').trim() === '') {
    if (child.exitCode !== null) throw new Error(`AWS API stub exited (${child.exitCode}):\n${readFileSync(output, 'utf8')}`);
    if (Date.now() - started > timeoutMs) {
      child.kill();
      throw new Error(`AWS API stub did not listen within ${timeoutMs} ms:\n${readFileSync(output, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.unref();
  const url = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
  const stop = () => {
    if (child.exitCode === null && !child.killed) child.kill();
  };
  process.once('exit', stop);
  return {
    url,
    providerSettings: () => ({
      region: FAKE_AWS.region,
      access_key: 'offline-plan',
      secret_key: 'offline-plan',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      endpoints: [{ ec2: url, sts: url, iam: url, dynamodb: url }],
    }),
    calls: () =>
      existsSync(callLog)
        ? readFileSync(callLog, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as StubCall)
        : [],
    stop,
  };
}

// ---------------------------------------------------------------------------------------
// The server (the child process).

type Filters = Array<{ name: string; values: string[] }>;
type Params = Record<string, string>;

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const REQUEST_ID = '00000000-0000-4000-8000-000000000000';

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `{a: 1, b: [..]}` as XML elements; arrays are `<item>` lists (EC2) or `<member>` lists (IAM, STS). */
function xml(value: unknown, listItem: string): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<${listItem}>${xml(v, listItem)}</${listItem}>`).join('');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `<${k}>${xml(v, listItem)}</${k}>`)
      .join('');
  return xmlEscape(String(value));
}

/** `Filter.1.Name=vpc-id&Filter.1.Value.1=...` */
function filtersOf(params: Params): Filters {
  const out: Filters = [];
  for (let i = 1; params[`Filter.${i}.Name`] !== undefined; i++) {
    const values: string[] = [];
    for (let j = 1; params[`Filter.${i}.Value.${j}`] !== undefined; j++) values.push(params[`Filter.${i}.Value.${j}`]);
    out.push({ name: params[`Filter.${i}.Name`], values });
  }
  return out;
}

/** `PrefixListId.1=...` style lists. */
function listOf(params: Params, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${prefix}.${i}`] !== undefined; i++) out.push(params[`${prefix}.${i}`]);
  return out;
}

/** A fake resource: its filterable fields (EC2 filter names) and its XML body. */
interface Ec2Item {
  readonly fields: Record<string, string[]>;
  readonly body: Record<string, unknown>;
}

const tagFields = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`tag:${k}`, [v]]));
const tagSet = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

function matches(item: Ec2Item, filters: Filters, ids: string[], idField: string): boolean {
  if (ids.length > 0 && !ids.some((id) => item.fields[idField]?.includes(id))) return false;
  return filters.every((f) => {
    if (f.name === 'tag-key') return f.values.some((v) => item.fields[`tag:${v}`] !== undefined);
    const have = item.fields[f.name];
    // A filter on a field this stub does not model matches nothing: the caller learns of it.
    return have !== undefined && f.values.some((v) => have.some((h) => wildcardMatch(v, h)));
  });
}

function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`
  );
  return re.test(value);
}

const A = FAKE_AWS;

const VPCS: Ec2Item[] = [
  {
    fields: { 'vpc-id': [A.vpc.id], cidr: [A.vpc.cidr], 'cidr-block': [A.vpc.cidr], state: ['available'], 'is-default': ['false'], 'owner-id': [A.account], ...tagFields({ Name: A.vpc.name }) },
    body: {
      vpcId: A.vpc.id,
      ownerId: A.account,
      state: 'available',
      cidrBlock: A.vpc.cidr,
      cidrBlockAssociationSet: [{ cidrBlock: A.vpc.cidr, associationId: 'vpc-cidr-assoc-0existing', cidrBlockState: { state: 'associated' } }],
      ipv6CidrBlockAssociationSet: [],
      dhcpOptionsId: 'dopt-0existing',
      instanceTenancy: 'default',
      isDefault: false,
      tagSet: tagSet({ Name: A.vpc.name }),
    },
  },
];

const SUBNETS: Ec2Item[] = A.subnets.map((s, i) => {
  const tags = { Name: `${A.vpc.name}-${s.tier}-${s.az.slice(-1)}`, Tier: s.tier };
  return {
    fields: { 'subnet-id': [s.id], 'vpc-id': [A.vpc.id], 'availability-zone': [s.az], 'cidr-block': [s.cidr], cidr: [s.cidr], state: ['available'], 'default-for-az': ['false'], ...tagFields(tags) },
    body: {
      subnetId: s.id,
      subnetArn: `arn:aws:ec2:${A.region}:${A.account}:subnet/${s.id}`,
      vpcId: A.vpc.id,
      ownerId: A.account,
      state: 'available',
      cidrBlock: s.cidr,
      availabilityZone: s.az,
      availabilityZoneId: `use1-az${i + 1}`,
      availableIpAddressCount: 250,
      defaultForAz: false,
      mapPublicIpOnLaunch: s.tier === 'public',
      mapCustomerOwnedIpOnLaunch: false,
      assignIpv6AddressOnCreation: false,
      enableDns64: false,
      ipv6Native: false,
      ipv6CidrBlockAssociationSet: [],
      privateDnsNameOptionsOnLaunch: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
      tagSet: tagSet(tags),
    },
  };
});

function routeTable(id: string, subnets: string[], main: boolean, internet: boolean, name: string): Ec2Item {
  const associations = [
    ...(main ? [{ routeTableAssociationId: `${id.replace('rtb', 'rtbassoc')}-main`, routeTableId: id, main: true, associationState: { state: 'associated' } }] : []),
    ...subnets.map((s) => ({ routeTableAssociationId: `rtbassoc-${s.replace('subnet-', '')}`, routeTableId: id, subnetId: s, main: false, associationState: { state: 'associated' } })),
  ];
  const routes = [
    { destinationCidrBlock: A.vpc.cidr, gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' },
    ...(internet ? [{ destinationCidrBlock: '0.0.0.0/0', gatewayId: A.internetGateway, state: 'active', origin: 'CreateRoute' }] : []),
  ];
  return {
    fields: {
      'route-table-id': [id],
      'vpc-id': [A.vpc.id],
      'association.subnet-id': subnets,
      'association.main': [String(main)],
      'association.route-table-association-id': associations.map((a) => a.routeTableAssociationId),
      ...tagFields({ Name: name }),
    },
    body: { routeTableId: id, vpcId: A.vpc.id, ownerId: A.account, associationSet: associations, routeSet: routes, propagatingVgwSet: [], tagSet: tagSet({ Name: name }) },
  };
}

const ROUTE_TABLES: Ec2Item[] = [
  ...A.subnets.map((s) => routeTable(s.routeTable, [s.id], false, s.tier === 'public', `${A.vpc.name}-${s.tier}-${s.az.slice(-1)}`)),
  routeTable(A.mainRouteTable, [], true, false, `${A.vpc.name}-main`),
];

const PREFIX_LISTS: Ec2Item[] = Object.entries(A.prefixLists).map(([service, id]) => ({
  fields: { 'prefix-list-id': [id], 'prefix-list-name': [`com.amazonaws.${A.region}.${service}`] },
  body: { prefixListId: id, prefixListName: `com.amazonaws.${A.region}.${service}`, cidrSet: service === 'dynamodb' ? ['3.218.182.0/24', '52.94.0.0/22'] : ['16.15.176.0/20', '52.216.0.0/15'] },
}));

const ENDPOINT_SERVICES: Ec2Item[] = ['dynamodb', 's3'].map((service) => {
  const name = `com.amazonaws.${A.region}.${service}`;
  return {
    fields: { 'service-name': [name], 'service-type': ['Gateway'], owner: ['amazon'] },
    body: {
      serviceName: name,
      serviceId: `vpce-svc-0${service}`,
      serviceType: [{ serviceType: 'Gateway' }],
      availabilityZoneSet: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      owner: 'amazon',
      baseEndpointDnsNameSet: [`${service}.${A.region}.amazonaws.com`],
      vpcEndpointPolicySupported: true,
      acceptanceRequired: false,
      managesVpcEndpoints: false,
      supportedIpAddressTypeSet: ['ipv4'],
      tagSet: [],
    },
  };
});

function ec2(action: string, params: Params): { status: number; body: string } {
  const filters = filtersOf(params);
  const respond = (inner: string) => ({
    status: 200,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}"><requestId>${REQUEST_ID}</requestId>${inner}</${action}Response>`,
  });
  const set = (name: string, items: Ec2Item[], ids: string[], idField: string) =>
    respond(
      `<${name}>${xml(
        items.filter((i) => matches(i, filters, ids, idField)).map((i) => i.body),
        'item'
      )}</${name}>`
    );
  switch (action) {
    case 'DescribeVpcs':
      return set('vpcSet', VPCS, listOf(params, 'VpcId'), 'vpc-id');
    case 'DescribeVpcAttribute': {
      const attribute = params.Attribute;
      const value = attribute === 'enableDnsSupport' || attribute === 'enableDnsHostnames';
      return respond(`<vpcId>${params.VpcId}</vpcId><${attribute}><value>${value}</value></${attribute}>`);
    }
    case 'DescribeSubnets':
      return set('subnetSet', SUBNETS, listOf(params, 'SubnetId'), 'subnet-id');
    case 'DescribeRouteTables':
      return set('routeTableSet', ROUTE_TABLES, listOf(params, 'RouteTableId'), 'route-table-id');
    case 'DescribePrefixLists':
      return set('prefixListSet', PREFIX_LISTS, listOf(params, 'PrefixListId'), 'prefix-list-id');
    case 'DescribeVpcEndpointServices': {
      const names = listOf(params, 'ServiceName');
      const found = ENDPOINT_SERVICES.filter((i) => matches(i, filters, names, 'service-name'));
      return respond(
        `<serviceDetailSet>${xml(
          found.map((i) => i.body),
          'item'
        )}</serviceDetailSet><serviceNameSet>${xml(
          found.map((i) => i.body.serviceName),
          'item'
        )}</serviceNameSet>`
      );
    }
    default:
      return {
        status: 400,
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidAction</Code><Message>aws-api-stub: ${action} is not stubbed</Message></Error></Errors><RequestID>${REQUEST_ID}</RequestID></Response>`,
      };
  }
}

function sts(action: string): { status: number; body: string } {
  if (action !== 'GetCallerIdentity') return queryError('https://sts.amazonaws.com/doc/2011-06-15/', action);
  return {
    status: 200,
    body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${A.account}:user/offline-plan</Arn><UserId>AIDAOFFLINEPLAN000000</UserId><Account>${A.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  };
}

/** AWS managed policies the fixtures' modules read at plan (their documents as published). */
const MANAGED_POLICIES: Record<string, { id: string; path: string; document: unknown }> = {
  AWSLambdaENIManagementAccess: {
    id: 'ANPAJXAW2Q3KPTURUT2QC',
    path: '/service-role/',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
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
        },
      ],
    },
  },
  AWSLambdaVPCAccessExecutionRole: {
    id: 'ANPAJVTME3YLVNL72YR2K',
    path: '/service-role/',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          Resource: '*',
        },
      ],
    },
  },
  AWSXRayDaemonWriteAccess: {
    id: 'ANPAIOE47HSUE5AVBNEDM',
    path: '/',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'], Resource: ['*'] },
      ],
    },
  },
  AmazonDynamoDBFullAccess: {
    id: 'ANPAINUGF2JSOSUY76KYA',
    path: '/',
    document: { Version: '2012-10-17', Statement: [{ Action: ['dynamodb:*'], Effect: 'Allow', Resource: '*' }] },
  },
};

function managedPolicy(arn: string | undefined) {
  const m = /^arn:aws:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn ?? '');
  return m && MANAGED_POLICIES[m[1]] ? { name: m[1], arn: arn!, ...MANAGED_POLICIES[m[1]] } : undefined;
}

function queryError(ns: string, action: string, code = 'InvalidAction', status = 400): { status: number; body: string } {
  return {
    status,
    body: `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>aws-api-stub: ${xmlEscape(
      action
    )}</Message></Error><RequestId>${REQUEST_ID}</RequestId></ErrorResponse>`,
  };
}

function iam(action: string, params: Params): { status: number; body: string } {
  const ns = 'https://iam.amazonaws.com/doc/2010-05-08/';
  const respond = (inner: string) => ({
    status: 200,
    body: `<${action}Response xmlns="${ns}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></${action}Response>`,
  });
  const policy = managedPolicy(params.PolicyArn);
  switch (action) {
    case 'GetPolicy':
      if (!policy) return queryError(ns, `policy ${params.PolicyArn} not found`, 'NoSuchEntity', 404);
      return respond(
        `<Policy>${xml(
          {
            PolicyName: policy.name,
            PolicyId: policy.id,
            Arn: policy.arn,
            Path: policy.path,
            DefaultVersionId: 'v1',
            AttachmentCount: 1,
            PermissionsBoundaryUsageCount: 0,
            IsAttachable: true,
            Description: `${policy.name} (aws-api-stub)`,
            CreateDate: '2015-02-06T18:41:00Z',
            UpdateDate: '2015-02-06T18:41:00Z',
            Tags: [],
          },
          'member'
        )}</Policy>`
      );
    case 'GetPolicyVersion':
      if (!policy) return queryError(ns, `policy ${params.PolicyArn} not found`, 'NoSuchEntity', 404);
      return respond(
        `<PolicyVersion>${xml(
          { Document: encodeURIComponent(JSON.stringify(policy.document)), VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2015-02-06T18:41:00Z' },
          'member'
        )}</PolicyVersion>`
      );
    case 'ListPolicyTags':
      return respond('<Tags></Tags><IsTruncated>false</IsTruncated>');
    default:
      return queryError(ns, action);
  }
}

function dynamodb(action: string, body: Record<string, unknown>): { status: number; body: string } {
  const t = A.table;
  const arn = `arn:aws:dynamodb:${A.region}:${A.account}:table/${t.name}`;
  const json = (status: number, value: unknown) => ({ status, body: JSON.stringify(value) });
  const known = body.TableName === t.name || body.ResourceArn === arn;
  if (!known && action !== 'ListTables')
    return json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: `Requested resource not found: ${String(body.TableName ?? body.ResourceArn)}` });
  switch (action) {
    case 'DescribeTable':
      return json(200, {
        Table: {
          TableName: t.name,
          TableArn: arn,
          TableId: '0e0b7e2c-1c2d-4c5e-9f00-0000000000aa',
          TableStatus: 'ACTIVE',
          CreationDateTime: t.created,
          AttributeDefinitions: [{ AttributeName: t.hashKey, AttributeType: 'S' }],
          KeySchema: [{ AttributeName: t.hashKey, KeyType: 'HASH' }],
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: t.created },
          ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
          TableSizeBytes: 0,
          ItemCount: 0,
          DeletionProtectionEnabled: true,
          SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: `arn:aws:kms:${A.region}:${A.account}:key/00000000-0000-4000-8000-0000000000aa` },
          TableClassSummary: { TableClass: 'STANDARD' },
        },
      });
    case 'DescribeContinuousBackups':
      return json(200, { ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 } } });
    case 'DescribeTimeToLive':
      return json(200, { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    case 'ListTagsOfResource':
      return json(200, { Tags: [{ Key: 'Team', Value: 'orders' }] });
    default:
      return json(400, { __type: 'com.amazon.coral.service#UnknownOperationException', message: `aws-api-stub: ${action} is not stubbed` });
  }
}

/** The service a request is for: the SigV4 credential scope names it. */
function serviceOf(req: IncomingMessage): StubCall['service'] {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([a-z0-9-]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
  return scope === 'ec2' || scope === 'sts' || scope === 'iam' || scope === 'dynamodb' ? scope : 'unknown';
}

function serve(portFile: string, callLog: string, parent: number): void {
  // One line per call, written before the response goes out.
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const service = serviceOf(req);
      let action = 'unknown';
      let answer: { status: number; body: string };
      let contentType = 'text/xml';
      try {
        if (service === 'dynamodb') {
          action = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
          answer = dynamodb(action, text ? (JSON.parse(text) as Record<string, unknown>) : {});
          contentType = 'application/x-amz-json-1.0';
        } else {
          const params = Object.fromEntries(new URLSearchParams(text)) as Params;
          action = params.Action ?? 'unknown';
          answer = service === 'ec2' ? ec2(action, params) : service === 'sts' ? sts(action) : service === 'iam' ? iam(action, params) : { status: 400, body: 'aws-api-stub: unknown service' };
        }
      } catch (error) {
        answer = { status: 500, body: `aws-api-stub: ${String(error)}` };
      }
      appendFileSync(callLog, `${JSON.stringify({ service, action, status: answer.status } satisfies StubCall)}\n`);
      res.writeHead(answer.status, { 'content-type': contentType, 'x-amzn-requestid': REQUEST_ID });
      res.end(answer.body);
    });
  });
  server.listen(0, '127.0.0.1', () => writeFileSync(portFile, String((server.address() as AddressInfo).port)));
  // No orphan: stop when the test process that started it is gone.
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 2000).unref();
}

if (require.main === module) serve(process.argv[2], process.argv[3], Number(process.argv[4]));
