/**
 * A fake AWS account for `verify`: an HTTP server in the test's own process that answers the
 * read calls verify makes, in the real wire protocols (EC2 and IAM Query with XML answers,
 * Lambda REST-JSON, DynamoDB JSON 1.0), reached through `AWS_ENDPOINT_URL`, so the SDK's real
 * serializers, paginators, retries and error parsing run. Its content is plain data a test
 * edits before (or between) runs: detach the endpoint from a route table, drop an action from
 * a role, deny an action (answered as AWS answers AccessDenied), throttle a call.
 *
 * Element names follow the API reference's response examples; the endpoint's DynamoDB route in
 * a route table is derived from the endpoint's route tables, as AWS does.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeFunction {
  name: string;
  role: string;
  subnetIds: string[];
  securityGroupIds: string[];
  vpcId: string;
  environment: Record<string, string>;
  state?: string;
  /**
   * What the function answers `verify --probe` (Invoke with `{"vldProbe":1}`): the payload and,
   * when it failed, Lambda's X-Amz-Function-Error. Default: every table in its environment
   * answered ok ({@link probeAnswer}).
   */
  probe?: { payload: unknown; functionError?: 'Unhandled' | 'Handled' };
}
export interface FakeRule {
  protocol: string;
  from?: number;
  to?: number;
  cidrs?: string[];
  prefixLists?: string[];
  groups?: string[];
}
export interface FakeAccount {
  accountId: string;
  region: string;
  functions: FakeFunction[];
  subnets: Array<{ id: string; vpcId: string; az: string; cidr: string }>;
  routeTables: Array<{ id: string; vpcId: string; main?: boolean; subnetIds: string[]; routes: Array<{ cidr: string; gateway?: string; nat?: string }> }>;
  endpoints: Array<{ id: string; vpcId: string; service: string; routeTableIds: string[]; policy: string }>;
  prefixLists: Array<{ id: string; name: string; cidrs: string[] }>;
  securityGroups: Array<{ id: string; name: string; vpcId: string; egress: FakeRule[]; ingress: FakeRule[] }>;
  roles: Array<{ name: string; inline: Record<string, object>; attached: string[] }>;
  policies: Array<{ arn: string; name: string; document: object }>;
  tables: Array<{ name: string; hashKey: string; resourcePolicy?: object }>;
  /** Network ACLs with their subnets; rule 32767 (deny all) is added as AWS does. */
  networkAcls: Array<{ id: string; vpcId: string; isDefault?: boolean; subnetIds: string[]; entries: Array<{ rule: number; egress: boolean; action: 'allow' | 'deny'; protocol: string; cidr: string; from?: number; to?: number }> }>;
  /** Lambda's network interfaces (type `lambda`): one per subnet and security-group set in use. */
  lambdaInterfaces: Array<{ id: string; subnetId: string; vpcId: string; groupIds: string[]; ip: string }>;
  natGateways: Array<{ id: string; subnetId: string; vpcId: string; eni: string; state?: string }>;
  flowLogs: Array<{ id: string; resourceId: string; trafficType: string; logGroupName: string; logFormat?: string }>;
  /** Flow-log records (the log line, as the flow log's format writes it) by log group, each with its time (ms). */
  flowLogRecords?: Record<string, Array<{ at: number; message: string }>>;
  /** Roles the caller may assume (`sts:AssumeRole`); any other is refused as STS refuses it. */
  assumableRoles?: string[];
  /** Actions (`iam:GetRole`) answered with the service's AccessDenied. */
  deny: string[];
  /** Every call refused as with expired session credentials (ExpiredToken). */
  expiredCredentials?: boolean;
  /** Actions answered with a throttling error this many times before they succeed. */
  throttle: Record<string, number>;
}

/** The seed system: two functions in two private subnets, each route table on the endpoint, 443 egress to the prefix list, roles granting PutItem/GetItem on their table. */
export function seedAccount(): FakeAccount {
  const accountId = '123456789012';
  const region = 'us-east-1';
  const tableArn = (t: string) => `arn:aws:dynamodb:${region}:${accountId}:table/${t}`;
  const tables = ['vpc-lambda-dynamodb-products', 'vpc-lambda-dynamodb-user-activity'];
  const rolePolicy = (t: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: tableArn(t) }],
  });
  return {
    accountId,
    region,
    functions: [
      { name: 'vpc-lambda-dynamodb-products', role: `arn:aws:iam::${accountId}:role/products-fn`, subnetIds: ['subnet-0a1', 'subnet-0b2'], securityGroupIds: ['sg-0fn'], vpcId: 'vpc-0seed', environment: { PRODUCTS_TABLE: tables[0] }, state: 'Active' },
      { name: 'vpc-lambda-dynamodb-user-activity', role: `arn:aws:iam::${accountId}:role/user-activity-fn`, subnetIds: ['subnet-0a1', 'subnet-0b2'], securityGroupIds: ['sg-0fn'], vpcId: 'vpc-0seed', environment: { USER_ACTIVITY_TABLE: tables[1] }, state: 'Active' },
    ],
    subnets: [
      { id: 'subnet-0a1', vpcId: 'vpc-0seed', az: 'us-east-1a', cidr: '10.0.1.0/24' },
      { id: 'subnet-0b2', vpcId: 'vpc-0seed', az: 'us-east-1b', cidr: '10.0.2.0/24' },
    ],
    routeTables: [
      { id: 'rtb-0main', vpcId: 'vpc-0seed', main: true, subnetIds: [], routes: [] },
      { id: 'rtb-0a1', vpcId: 'vpc-0seed', subnetIds: ['subnet-0a1'], routes: [] },
      { id: 'rtb-0b2', vpcId: 'vpc-0seed', subnetIds: ['subnet-0b2'], routes: [] },
    ],
    endpoints: [
      {
        id: 'vpce-0ddb',
        vpcId: 'vpc-0seed',
        service: `com.amazonaws.${region}.dynamodb`,
        routeTableIds: ['rtb-0a1', 'rtb-0b2'],
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: tables.map(tableArn) }] }),
      },
    ],
    prefixLists: [{ id: 'pl-02cd2c6b', name: `com.amazonaws.${region}.dynamodb`, cidrs: ['3.218.182.0/24', '52.94.0.0/22'] }],
    securityGroups: [{ id: 'sg-0fn', name: 'functions', vpcId: 'vpc-0seed', egress: [{ protocol: 'tcp', from: 443, to: 443, prefixLists: ['pl-02cd2c6b'] }], ingress: [] }],
    roles: [
      { name: 'products-fn', inline: { dynamodb: rolePolicy(tables[0]) }, attached: [] },
      { name: 'user-activity-fn', inline: { dynamodb: rolePolicy(tables[1]) }, attached: [] },
    ],
    policies: [],
    tables: tables.map((name) => ({ name, hashKey: 'id' })),
    networkAcls: [
      {
        id: 'acl-0default',
        vpcId: 'vpc-0seed',
        isDefault: true,
        subnetIds: ['subnet-0a1', 'subnet-0b2'],
        entries: [
          { rule: 100, egress: true, action: 'allow', protocol: '-1', cidr: '0.0.0.0/0' },
          { rule: 100, egress: false, action: 'allow', protocol: '-1', cidr: '0.0.0.0/0' },
        ],
      },
    ],
    lambdaInterfaces: [
      { id: 'eni-0a1fn', subnetId: 'subnet-0a1', vpcId: 'vpc-0seed', groupIds: ['sg-0fn'], ip: '10.0.1.25' },
      { id: 'eni-0b2fn', subnetId: 'subnet-0b2', vpcId: 'vpc-0seed', groupIds: ['sg-0fn'], ip: '10.0.2.25' },
    ],
    natGateways: [],
    flowLogs: [{ id: 'fl-0seed', resourceId: 'vpc-0seed', trafficType: 'ALL', logGroupName: '/vpc/vpc-lambda-dynamodb/flow-logs' }],
    deny: [],
    throttle: {},
  };
}

/** A probe result as the handlers return it (functions/shared/probe.ts): each call ok unless given. */
export function probeAnswer(fn: FakeFunction, failed: Record<string, { errorClass: string; message: string }> = {}): { payload: unknown } {
  const tables = Object.values(fn.environment).flatMap((table) =>
    ['dynamodb:GetItem', 'dynamodb:PutItem'].map((action) => {
      const failure = failed[`${table} ${action}`] ?? failed[action];
      return failure ? { table, action, ok: false, ...failure, ms: 7 } : { table, action, ok: true, ms: 6 };
    }),
  );
  return { payload: { probe: true, version: 1, function: fn.name, tables } };
}

/** Lambda's answer when a function runs past its timeout (the runtime's Sandbox.Timedout, Invoke still HTTP 200). */
export function probeTimedOut(seconds: number): FakeFunction['probe'] {
  return { functionError: 'Unhandled', payload: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: 7c2f6a4e-0000-4000-8000-00000000c0de Error: Task timed out after ${seconds.toFixed(2)} seconds` } };
}

/** One call the fake answered. */
export interface FakeCall {
  readonly action: string;
  readonly status: number;
  /** The access key the request was signed with (from its SigV4 credential scope). */
  readonly accessKey: string;
}

export interface FakeAwsAccount {
  readonly url: string;
  readonly account: FakeAccount;
  calls(): FakeCall[];
  stop(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** XML elements from a plain object; arrays become `<item>` (EC2) or `<member>` (IAM) lists. */
function xml(value: unknown, itemTag: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<${itemTag}>${xml(v, itemTag)}</${itemTag}>`).join('');
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([k, v]) => (v === undefined ? '' : `<${k}>${xml(v, itemTag)}</${k}>`)).join('');
  return esc(String(value));
}

const REQUEST_ID = 'f0a1b2c3-0000-4000-8000-000000000000';

/** Starts the fake on 127.0.0.1; the account is the object tests edit. */
export async function startFakeAwsAccount(account: FakeAccount = seedAccount()): Promise<FakeAwsAccount> {
  const calls: FakeCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        answer(account, req, Buffer.concat(chunks).toString('utf8'), res, calls);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String((error as Error).stack));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    account,
    calls: () => [...calls],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The service a request is for, from its SigV4 credential scope. */
function serviceOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  return /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? (String(req.url).startsWith('/2015-03-31/') ? 'lambda' : 'unknown');
}

/** Logs Insights queries started on the fake, by id. */
const queries = new Map<string, { polled: number; group: string; query: string; start: number; end: number }>();

function answer(account: FakeAccount, req: IncomingMessage, body: string, res: ServerResponse, calls: FakeCall[]): void {
  const service = serviceOf(req);
  let action: string;
  let params: URLSearchParams | undefined;
  let json: Record<string, unknown> = {};
  if (service === 'lambda') {
    const m = /^\/2015-03-31\/functions\/([^/]+)\/configuration/.exec(String(req.url));
    // Invoke: POST .../invocations; named by its IAM action (lambda:InvokeFunction), as deny and the policy test expect.
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(String(req.url));
    action = m ? 'GetFunctionConfiguration' : invoke ? 'InvokeFunction' : 'Unknown';
    json = { FunctionName: decodeURIComponent(m?.[1] ?? invoke?.[1] ?? ''), ...(invoke ? { InvocationType: req.headers['x-amz-invocation-type'], Payload: body } : {}) };
  } else if (service === 'dynamodb' || service === 'logs') {
    action = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? 'Unknown';
    json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } else {
    params = new URLSearchParams(body);
    action = params.get('Action') ?? 'Unknown';
  }
  const full = `${service}:${action}`;
  const send = (status: number, headers: Record<string, string>, text: string) => {
    calls.push({ action: full, status, accessKey: /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '' });
    res.writeHead(status, { 'x-amzn-requestid': REQUEST_ID, ...headers });
    res.end(text);
  };
  const error = (status: number, code: string, message: string) => {
    if (service === 'lambda') return send(status, { 'content-type': 'application/json', 'x-amzn-errortype': code }, JSON.stringify({ Type: 'User', message }));
    if (service === 'dynamodb') return send(status, { 'content-type': 'application/x-amz-json-1.0' }, JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message }));
    if (service === 'logs') return send(status, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify({ __type: code, message }));
    if (service === 'ec2') return send(status, { 'content-type': 'text/xml' }, `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${REQUEST_ID}</RequestID></Response>`);
    return send(status, { 'content-type': 'text/xml' }, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${REQUEST_ID}</RequestId></ErrorResponse>`);
  };

  if ((account.throttle[full] ?? 0) > 0) {
    account.throttle[full]--;
    const code = service === 'ec2' ? 'RequestLimitExceeded' : service === 'iam' ? 'Throttling' : service === 'lambda' ? 'TooManyRequestsException' : 'ThrottlingException';
    return error(service === 'ec2' ? 503 : service === 'lambda' ? 429 : 400, code, 'Rate exceeded');
  }
  if (account.expiredCredentials) {
    const code = service === 'lambda' || service === 'dynamodb' ? 'ExpiredTokenException' : 'ExpiredToken';
    return error(service === 'dynamodb' ? 400 : 403, code, 'The security token included in the request is expired');
  }
  if (account.deny.includes(full)) {
    const who = `arn:aws:sts::${account.accountId}:assumed-role/verifier/session`;
    const text = `User: ${who} is not authorized to perform: ${full}`;
    if (service === 'ec2') return error(403, 'UnauthorizedOperation', `You are not authorized to perform this operation. ${text}`);
    if (service === 'iam') return error(403, 'AccessDenied', text);
    return error(403, 'AccessDeniedException', text);
  }

  const ec2 = (name: string, result: Record<string, unknown>) =>
    send(200, { 'content-type': 'text/xml' }, `<?xml version="1.0" encoding="UTF-8"?>\n<${name}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${REQUEST_ID}</requestId>${xml(result, 'item')}</${name}Response>`);
  const iam = (name: string, result: Record<string, unknown>) =>
    send(200, { 'content-type': 'text/xml' }, `<${name}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${name}Result>${xml(result, 'member')}</${name}Result><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></${name}Response>`);
  const list = (prefix: string): string[] => [...(params?.entries() ?? [])].filter(([k]) => k.startsWith(`${prefix}.`)).map(([, v]) => v);
  const filters = (): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (let i = 1; params?.has(`Filter.${i}.Name`); i++) out[params.get(`Filter.${i}.Name`)!] = list(`Filter.${i}.Value`);
    return out;
  };
  const rules = (rs: FakeRule[]) =>
    rs.map((r) => ({
      ipProtocol: r.protocol,
      fromPort: r.from,
      toPort: r.to,
      groups: (r.groups ?? []).map((groupId) => ({ groupId, userId: account.accountId })),
      ipRanges: (r.cidrs ?? []).map((cidrIp) => ({ cidrIp })),
      ipv6Ranges: [],
      prefixListIds: (r.prefixLists ?? []).map((prefixListId) => ({ prefixListId })),
    }));
  const roleArn = (name: string) => `arn:aws:iam::${account.accountId}:role/${name}`;
  const noRole = (name: string) => error(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);

  switch (full) {
    case 'lambda:GetFunctionConfiguration': {
      const name = String(json.FunctionName);
      const f = account.functions.find((x) => x.name === name || `arn:aws:lambda:${account.region}:${account.accountId}:function:${x.name}` === name);
      if (!f) return error(404, 'ResourceNotFoundException', `Function not found: arn:aws:lambda:${account.region}:${account.accountId}:function:${name}`);
      return send(200, { 'content-type': 'application/json' }, JSON.stringify({
        FunctionName: f.name,
        FunctionArn: `arn:aws:lambda:${account.region}:${account.accountId}:function:${f.name}`,
        Runtime: 'nodejs20.x',
        Role: f.role,
        Handler: 'index.handler',
        Timeout: 10,
        MemorySize: 256,
        State: f.state ?? 'Active',
        VpcConfig: { SubnetIds: f.subnetIds, SecurityGroupIds: f.securityGroupIds, VpcId: f.vpcId },
        Environment: { Variables: f.environment },
      }));
    }
    case 'lambda:InvokeFunction': {
      const name = String(json.FunctionName);
      const f = account.functions.find((x) => x.name === name || `arn:aws:lambda:${account.region}:${account.accountId}:function:${x.name}` === name);
      if (!f) return error(404, 'ResourceNotFoundException', `Function not found: arn:aws:lambda:${account.region}:${account.accountId}:function:${name}`);
      if (json.InvocationType !== 'RequestResponse') return error(400, 'InvalidParameterValueException', `The fake answers RequestResponse invocations only, not ${String(json.InvocationType)}`);
      // Anything but the probe event is ordinary input to these handlers, which refuse it as the products handler does.
      let event: unknown;
      try {
        event = JSON.parse(String(json.Payload));
      } catch {
        event = undefined;
      }
      const isProbe = JSON.stringify(event) === JSON.stringify({ vldProbe: 1 });
      const answer: NonNullable<FakeFunction['probe']> = isProbe ? (f.probe ?? probeAnswer(f)) : { payload: { statusCode: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'invalid input' }) } };
      return send(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', ...(answer.functionError ? { 'x-amz-function-error': answer.functionError } : {}) }, JSON.stringify(answer.payload));
    }
    case 'ec2:DescribeSubnets': {
      const ids = list('SubnetId');
      const missing = ids.find((id) => !account.subnets.some((s) => s.id === id));
      if (missing) return error(400, 'InvalidSubnetID.NotFound', `The subnet ID '${missing}' does not exist`);
      return ec2('DescribeSubnets', {
        subnetSet: account.subnets.filter((s) => ids.length === 0 || ids.includes(s.id)).map((s) => ({ subnetId: s.id, subnetArn: `arn:aws:ec2:${account.region}:${account.accountId}:subnet/${s.id}`, vpcId: s.vpcId, availabilityZone: s.az, cidrBlock: s.cidr, state: 'available', mapPublicIpOnLaunch: false })),
      });
    }
    case 'ec2:DescribeRouteTables': {
      const vpcs = filters()['vpc-id'];
      // One route table a page, so the paginator must follow nextToken.
      const all = account.routeTables.filter((t) => !vpcs || vpcs.includes(t.vpcId));
      const start = Number(params?.get('NextToken') ?? 0);
      const page = all.slice(start, start + 1);
      return ec2('DescribeRouteTables', {
        routeTableSet: page.map((t) => ({
          routeTableId: t.id,
          vpcId: t.vpcId,
          ownerId: account.accountId,
          routeSet: [
            { destinationCidrBlock: '10.0.0.0/16', gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' },
            ...t.routes.map((r) => ({ destinationCidrBlock: r.cidr, gatewayId: r.gateway, natGatewayId: r.nat, state: 'active', origin: 'CreateRoute' })),
            ...account.endpoints
              .filter((e) => e.routeTableIds.includes(t.id))
              .map((e) => ({ destinationPrefixListId: account.prefixLists.find((p) => p.name === e.service)?.id, gatewayId: e.id, state: 'active', origin: 'CreateRoute' })),
          ],
          associationSet: [
            ...(t.main ? [{ routeTableAssociationId: `rtbassoc-main${t.id.slice(4)}`, routeTableId: t.id, main: true, associationState: { state: 'associated' } }] : []),
            ...t.subnetIds.map((subnetId) => ({ routeTableAssociationId: `rtbassoc-${subnetId.slice(7)}`, routeTableId: t.id, subnetId, main: false, associationState: { state: 'associated' } })),
          ],
          propagatingVgwSet: [],
          tagSet: [],
        })),
        nextToken: start + 1 < all.length ? String(start + 1) : undefined,
      });
    }
    case 'ec2:DescribeVpcEndpoints': {
      const f = filters();
      const found = account.endpoints.filter((e) => (!f['vpc-id'] || f['vpc-id'].includes(e.vpcId)) && (!f['vpc-endpoint-type'] || f['vpc-endpoint-type'].includes('Gateway')));
      return ec2('DescribeVpcEndpoints', {
        vpcEndpointSet: found.map((e) => ({ vpcEndpointId: e.id, vpcEndpointType: 'Gateway', vpcId: e.vpcId, serviceName: e.service, state: 'available', policyDocument: e.policy, routeTableIdSet: e.routeTableIds, ownerId: account.accountId })),
      });
    }
    case 'ec2:DescribePrefixLists': {
      const names = filters()['prefix-list-name'];
      return ec2('DescribePrefixLists', { prefixListSet: account.prefixLists.filter((p) => !names || names.includes(p.name)).map((p) => ({ prefixListId: p.id, prefixListName: p.name, cidrSet: p.cidrs })) });
    }
    case 'ec2:DescribeSecurityGroups': {
      const ids = list('GroupId');
      const missing = ids.find((id) => !account.securityGroups.some((g) => g.id === id));
      if (missing) return error(400, 'InvalidGroup.NotFound', `The security group '${missing}' does not exist`);
      return ec2('DescribeSecurityGroups', {
        securityGroupInfo: account.securityGroups.filter((g) => ids.length === 0 || ids.includes(g.id)).map((g) => ({ ownerId: account.accountId, groupId: g.id, groupName: g.name, groupDescription: g.name, vpcId: g.vpcId, ipPermissions: rules(g.ingress), ipPermissionsEgress: rules(g.egress) })),
      });
    }
    case 'ec2:DescribeNetworkAcls': {
      const vpcs = filters()['vpc-id'];
      return ec2('DescribeNetworkAcls', {
        networkAclSet: account.networkAcls
          .filter((a) => !vpcs || vpcs.includes(a.vpcId))
          .map((a) => ({
            networkAclId: a.id,
            vpcId: a.vpcId,
            default: a.isDefault ?? false,
            entrySet: [
              ...a.entries,
              { rule: 32767, egress: true, action: 'deny', protocol: '-1', cidr: '0.0.0.0/0' },
              { rule: 32767, egress: false, action: 'deny', protocol: '-1', cidr: '0.0.0.0/0' },
            ].map((e) => ({ ruleNumber: e.rule, protocol: e.protocol, ruleAction: e.action, egress: e.egress, cidrBlock: e.cidr, ...('from' in e && e.from !== undefined ? { portRange: { from: e.from, to: e.to } } : {}) })),
            associationSet: a.subnetIds.map((subnetId) => ({ networkAclAssociationId: `aclassoc-${subnetId.slice(7)}`, networkAclId: a.id, subnetId })),
            ownerId: account.accountId,
          })),
      });
    }
    case 'ec2:DescribeNetworkInterfaces': {
      const f = filters();
      return ec2('DescribeNetworkInterfaces', {
        networkInterfaceSet: account.lambdaInterfaces
          .filter((n) => (!f['vpc-id'] || f['vpc-id'].includes(n.vpcId)) && (!f['interface-type'] || f['interface-type'].includes('lambda')))
          .map((n) => ({ networkInterfaceId: n.id, subnetId: n.subnetId, vpcId: n.vpcId, interfaceType: 'lambda', status: 'in-use', privateIpAddress: n.ip, requesterId: '560333371396', requesterManaged: true, description: 'AWS Lambda VPC ENI-vpc-lambda-dynamodb', groupSet: n.groupIds.map((groupId) => ({ groupId, groupName: account.securityGroups.find((g) => g.id === groupId)?.name })) })),
      });
    }
    case 'ec2:DescribeNatGateways': {
      const vpcs = filters()['vpc-id'];
      return ec2('DescribeNatGateways', {
        natGatewaySet: account.natGateways
          .filter((n) => !vpcs || vpcs.includes(n.vpcId))
          .map((n) => ({ natGatewayId: n.id, subnetId: n.subnetId, vpcId: n.vpcId, state: n.state ?? 'available', connectivityType: 'public', natGatewayAddressSet: [{ allocationId: `eipalloc-${n.id.slice(4)}`, networkInterfaceId: n.eni, privateIp: '10.0.101.10', publicIp: '198.51.100.7' }] })),
      });
    }
    case 'ec2:DescribeFlowLogs': {
      const ids = filters()['resource-id'];
      return ec2('DescribeFlowLogs', {
        flowLogSet: account.flowLogs
          .filter((f) => !ids || ids.includes(f.resourceId))
          .map((f) => ({ flowLogId: f.id, resourceId: f.resourceId, trafficType: f.trafficType, logDestinationType: 'cloud-watch-logs', logGroupName: f.logGroupName, flowLogStatus: 'ACTIVE', deliverLogsStatus: 'SUCCESS', logFormat: f.logFormat ?? '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}' })),
      });
    }
    case 'sts:AssumeRole': {
      const arn = String(params?.get('RoleArn'));
      if (!(account.assumableRoles ?? []).includes(arn)) {
        return error(403, 'AccessDenied', `User: arn:aws:iam::${account.accountId}:user/ci is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
      }
      const session = String(params?.get('RoleSessionName'));
      const expires = new Date(Date.now() + Number(params?.get('DurationSeconds') ?? 3600) * 1000).toISOString();
      return send(200, { 'content-type': 'text/xml' }, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>${xml({
        AssumedRoleUser: { Arn: `arn:aws:sts::${account.accountId}:assumed-role/${arn.split('/').pop()}/${session}`, AssumedRoleId: `AROA3XFRBF535PLBIFPI4:${session}` },
        Credentials: { AccessKeyId: 'ASIAASSUMEDROLEFAKE0', SecretAccessKey: 'assumed-secret', SessionToken: 'assumed-session-token', Expiration: expires },
        PackedPolicySize: 6,
      }, 'member')}</AssumeRoleResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></AssumeRoleResponse>`);
    }
    case 'iam:GetRole': {
      const r = account.roles.find((x) => x.name === params?.get('RoleName'));
      if (!r) return noRole(String(params?.get('RoleName')));
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
      return iam('GetRole', { Role: { Path: '/', RoleName: r.name, RoleId: `AROA${r.name.toUpperCase().replace(/[^A-Z]/g, '').padEnd(17, 'X').slice(0, 17)}`, Arn: roleArn(r.name), CreateDate: '2026-01-01T00:00:00Z', AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)) } });
    }
    case 'iam:ListRolePolicies': {
      const r = account.roles.find((x) => x.name === params?.get('RoleName'));
      if (!r) return noRole(String(params?.get('RoleName')));
      return iam('ListRolePolicies', { PolicyNames: Object.keys(r.inline), IsTruncated: false });
    }
    case 'iam:GetRolePolicy': {
      const r = account.roles.find((x) => x.name === params?.get('RoleName'));
      const doc = r?.inline[String(params?.get('PolicyName'))];
      if (!r || !doc) return error(404, 'NoSuchEntity', `The role policy with name ${params?.get('PolicyName')} cannot be found.`);
      return iam('GetRolePolicy', { RoleName: r.name, PolicyName: params?.get('PolicyName'), PolicyDocument: encodeURIComponent(JSON.stringify(doc)) });
    }
    case 'iam:ListAttachedRolePolicies': {
      const r = account.roles.find((x) => x.name === params?.get('RoleName'));
      if (!r) return noRole(String(params?.get('RoleName')));
      return iam('ListAttachedRolePolicies', { AttachedPolicies: r.attached.map((a) => ({ PolicyName: a.split('/').pop(), PolicyArn: a })), IsTruncated: false });
    }
    case 'iam:GetPolicy': {
      const p = account.policies.find((x) => x.arn === params?.get('PolicyArn'));
      if (!p) return error(404, 'NoSuchEntity', `Policy ${params?.get('PolicyArn')} does not exist or is not attachable.`);
      return iam('GetPolicy', { Policy: { PolicyName: p.name, PolicyId: 'ANPA0000000000000000', Arn: p.arn, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, IsAttachable: true } });
    }
    case 'iam:GetPolicyVersion': {
      const p = account.policies.find((x) => x.arn === params?.get('PolicyArn'));
      if (!p) return error(404, 'NoSuchEntity', `Policy ${params?.get('PolicyArn')} does not exist.`);
      return iam('GetPolicyVersion', { PolicyVersion: { Document: encodeURIComponent(JSON.stringify(p.document)), VersionId: 'v1', IsDefaultVersion: true } });
    }
    case 'dynamodb:DescribeTable': {
      const t = account.tables.find((x) => x.name === json.TableName);
      if (!t) return error(400, 'ResourceNotFoundException', `Requested resource not found: Table: ${String(json.TableName)} not found`);
      return send(200, { 'content-type': 'application/x-amz-json-1.0' }, JSON.stringify({
        Table: {
          TableName: t.name,
          TableArn: `arn:aws:dynamodb:${account.region}:${account.accountId}:table/${t.name}`,
          TableStatus: 'ACTIVE',
          KeySchema: [{ AttributeName: t.hashKey, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: t.hashKey, AttributeType: 'S' }],
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        },
      }));
    }
    case 'logs:StartQuery': {
      const id = `q-${queries.size + 1}`;
      queries.set(id, { polled: 0, group: String(json.logGroupName), query: String(json.queryString), start: Number(json.startTime) * 1000, end: Number(json.endTime) * 1000 });
      return send(200, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify({ queryId: id }));
    }
    case 'logs:GetQueryResults': {
      const q = queries.get(String(json.queryId));
      if (!q) return error(400, 'ResourceNotFoundException', `Query ${String(json.queryId)} does not exist`);
      // Running on the first poll, as a real query is for a moment.
      if (q.polled++ === 0) return send(200, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify({ status: 'Running', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } }));
      const like = /filter @message like \/(.*?)\/ \|/.exec(q.query)?.[1];
      const records = (account.flowLogRecords?.[q.group] ?? []).filter((r) => r.at >= q.start && r.at <= q.end && (!like || new RegExp(like).test(r.message)));
      return send(200, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify({
        status: 'Complete',
        results: records.map((r, i) => [{ field: '@timestamp', value: new Date(r.at).toISOString().replace('T', ' ').replace('Z', '') }, { field: '@message', value: r.message }, { field: '@ptr', value: `ptr-${i}` }]),
        statistics: { recordsMatched: records.length, recordsScanned: account.flowLogRecords?.[q.group]?.length ?? 0, bytesScanned: 1000 },
      }));
    }
    case 'dynamodb:GetResourcePolicy': {
      const t = account.tables.find((x) => `arn:aws:dynamodb:${account.region}:${account.accountId}:table/${x.name}` === json.ResourceArn);
      if (!t) return error(400, 'ResourceNotFoundException', `Requested resource not found: ${String(json.ResourceArn)}`);
      if (!t.resourcePolicy) return error(400, 'PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${String(json.ResourceArn)}`);
      return send(200, { 'content-type': 'application/x-amz-json-1.0' }, JSON.stringify({ Policy: JSON.stringify(t.resourcePolicy), RevisionId: '1700000000000' }));
    }
    default:
      return error(400, service === 'ec2' ? 'InvalidAction' : 'InvalidAction', `The fake account does not answer ${full}`);
  }
}
