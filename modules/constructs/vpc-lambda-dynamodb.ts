import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { ConfigError } from '../private/config-error';
import { checkKmsKeyArn } from '../private/kms-key';
import { checkProps, PropSpec } from '../private/known-props';
import { PolicyStatement, policyJson } from '../private/iam-statements';
import { awsRegion } from '../private/region';
import { isLiteral } from '../private/tokens';
import { DynamoDbGatewayEndpoint } from './dynamodb-gateway-endpoint';
import { DynamoDbAction, DynamoDbTable, DynamoDbTableProps, ITable, checkIndexGrant, checkTableActions, tableNameOfArn } from './dynamodb-table';
import { EndpointPolicy } from './endpoint-policy';
import { FlowLogFormat, FlowLogs } from './flow-logs';
import { checkInterfaceEndpoints, InterfaceEndpoints } from './interface-endpoints';
import { bucketEndpointStatements, checkBucketAccess, S3Action, S3GatewayEndpoint } from './s3-gateway-endpoint';
import { NatGateways, NatMode } from './nat-gateways';
import { Network, NetworkProps, EXISTING_VPC_PROPS } from './network';
import { DatabaseAuthMode, EXISTING_DATABASE_PROPS, ExistingDatabaseProps, IPostgresDatabase, PostgresDatabase } from './postgres-database';
import { CODE_EXPECTED, MAX_FUNCTION_NAME_LENGTH, VpcFunction, VpcFunctionProps } from './vpc-function';
import { checkFramework } from '../private/framework';

/** Flow log settings. */
export interface FlowLogSettings {
  /**
   * Create VPC flow logs.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Days CloudWatch keeps them.
   * @default 30
   */
  readonly retentionInDays?: number;
  /**
   * KMS key ARN for the log group.
   * @default undefined: CloudWatch's own encryption
   */
  readonly kmsKeyArn?: string;
  /**
   * Record format: `v5` adds the fields that tell endpoint from NAT traffic (`verify --evidence flow-logs`).
   * @default 'default'
   */
  readonly format?: FlowLogFormat;
}

/** One table of the system: {@link DynamoDbTableProps} with the name derived from the key. */
export interface TableSettings extends Omit<DynamoDbTableProps, 'tableName' | 'tags'> {
  /**
   * Table name.
   * @default `<namePrefix>-<key>`
   */
  readonly tableName?: string;
  /**
   * The table's own tags, merged over the system's `tags`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** The {@link VpcFunctionProps} a system function sets itself; the system supplies the rest (name, subnets, groups, tags). */
export type FunctionOwnProps = Pick<
  VpcFunctionProps,
  | 'code'
  | 'handler'
  | 'description'
  | 'runtime'
  | 'architecture'
  | 'memorySize'
  | 'timeout'
  | 'reservedConcurrency'
  | 'logRetentionInDays'
  | 'applicationLogLevel'
  | 'systemLogLevel'
  | 'onFailureDestinationArn'
  | 'failureQueueEnabled'
  | 'maximumRetryAttempts'
  | 'tracing'
  | 'logKmsKeyArn'
  | 'environment'
  | 'layers'
  | 'policyStatements'
  | 'managedPolicyArns'
  | 'provisionedConcurrency'
  | 'functionUrl'
>;

/**
 * One function of the system, keyed by its name in `functions` (`<namePrefix>-<key>`): the
 * function's own props (documented on {@link VpcFunctionProps}) and what it may reach.
 */
export interface FunctionSettings extends FunctionOwnProps {
  /**
   * DynamoDB access, keyed by a key of `tables` or a table ARN: exactly these actions on
   * exactly that table; `<table>/index/<name>` grants Query or Scan on that index only. Each
   * entry also sets `<KEY>_TABLE` to the table's name.
   * @default {}: no table access
   */
  readonly tableAccess?: Record<string, DynamoDbAction[]>;
  /**
   * S3 access, keyed by bucket ARN (`arn:aws:s3:::<bucket>`): exactly these actions, bucket-level
   * ones on the bucket and object ones on `<arn>/*`; opens 443 to S3's prefix list (the S3 gateway
   * endpoint, which needs s3GatewayEndpoint) and lands in the S3 endpoint policy.
   * @default {}: no bucket access
   */
  readonly bucketAccess?: Record<string, S3Action[]>;
  /**
   * Connect to the database: 5432 both ways, `DB_*` variables, `rds-db:connect`.
   * @default false
   */
  readonly databaseAccess?: boolean;
  /**
   * HTTPS to the internet through NAT (needs natMode single or per-az).
   * @default false
   */
  readonly internetEgress?: boolean;
  /**
   * A key of `tables` whose stream this function consumes (the table needs `streamViewType`):
   * an event source mapping, and exactly the stream read actions on that stream.
   * @default undefined: no stream
   */
  readonly streamFrom?: string;
}

/** The PostgreSQL database the functions with `databaseAccess` use. */
export interface DatabaseSettings {
  /**
   * Create a private RDS PostgreSQL instance (ignored when `existing` is given).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Wire an existing database instead of creating one.
   * @default undefined
   */
  readonly existing?: ExistingDatabaseProps;
  /**
   * How functions authenticate.
   * @default 'iam'
   */
  readonly auth?: DatabaseAuthMode;
  /**
   * Instance class of a created instance.
   * @default 'db.t4g.micro'
   */
  readonly instanceClass?: string;
  /**
   * Deletion protection of a created instance.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * A standby in a second AZ (doubles the instance cost).
   * @default false
   */
  readonly multiAz?: boolean;
  /**
   * Performance Insights, 7 days (free tier).
   * @default true
   */
  readonly performanceInsights?: boolean;
  /**
   * Enhanced monitoring interval in seconds (0, 1, 5, 10, 15, 30, 60).
   * @default 0: off
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * Customer-managed KMS key for storage and Performance Insights.
   * @default undefined: the AWS managed key aws/rds
   */
  readonly kmsKeyArn?: string;
}

/** The {@link NetworkProps} the system passes through as given (documented there). */
export type SystemNetworkProps = Pick<NetworkProps, 'region' | 'availabilityZones' | 'maxAzs' | 'vpcCidr' | 'privateSubnetCidrs' | 'publicSubnetCidrs' | 'existingVpc'>;

/** Props of {@link VpcLambdaDynamoDb}: the network's props, and the rest of the system. */
export interface VpcLambdaDynamoDbProps extends SystemNetworkProps {
  /**
   * Prefix of every resource name.
   * @default 'vpc-lambda-dynamodb'
   */
  readonly namePrefix?: string;
  /**
   * NAT: `none`, `single` or `per-az`.
   * @default 'none'
   */
  readonly natMode?: NatMode;
  /**
   * VPC flow logs.
   * @default enabled, 30 days
   */
  readonly flowLogs?: FlowLogSettings;
  /**
   * Account id, for the flow-log role's trust. Needed only with an adopted VPC.
   * @default the created VPC's owner
   */
  readonly accountId?: string;
  /**
   * The DynamoDB endpoint policy: `system-tables` allows only the functions' granted actions
   * on their tables (nothing when no function has table access); `open` keeps AWS's default.
   * @default 'system-tables'
   */
  readonly endpointPolicy?: 'system-tables' | 'open' | EndpointPolicy;
  /**
   * The free S3 gateway endpoint on the private route tables. Its policy follows endpointPolicy:
   * `system-tables` allows only the functions' bucketAccess (nothing when none), `open` AWS's
   * default (an EndpointPolicy object is DynamoDB's: S3 then gets the derived one). Off by
   * default for an adopted VPC: its route tables carry other workloads' S3 traffic.
   * @default true (false with existingVpc)
   */
  readonly s3GatewayEndpoint?: boolean;
  /**
   * Interface endpoints by service short name (`secretsmanager`, `sqs`, ...) in the private subnets,
   * private DNS on, with one security group `<namePrefix>-endpoints` admitting 443 from the functions only.
   * Each is billed per AZ-hour and per GB.
   * @default []: none
   */
  readonly interfaceEndpoints?: string[];
  /**
   * Tables to create, keyed by a short name (`orders`): the key names the table
   * (`<namePrefix>-<key>`) and is what `tableAccess` refers to.
   * @default {}
   */
  readonly tables?: Record<string, TableSettings>;
  /**
   * Lambda functions in the private subnets, keyed by name (`<namePrefix>-<key>`).
   * @default {}
   */
  readonly functions?: Record<string, FunctionSettings>;
  /**
   * A PostgreSQL database for the functions with `databaseAccess`.
   * @default undefined: none
   */
  readonly database?: DatabaseSettings;
  /**
   * KMS key ARN for the log groups of the functions and the database (a function's own
   * `logKmsKeyArn` wins; flow logs take `flowLogs.kmsKeyArn`). Its key policy must let
   * `logs.<region>.amazonaws.com` use it.
   * @default undefined: CloudWatch Logs' own encryption
   */
  readonly logKmsKeyArn?: string;
  /**
   * Tags on every resource.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** Keys of `functions` and `tables`: they become part of resource names. */
const KEY = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/;

/** Every prop of each object the system takes: unknown ones are refused (see checkProps). */
const SYSTEM_PROPS = {
  region: 'optional',
  availabilityZones: 'optional',
  maxAzs: 'optional',
  vpcCidr: 'optional',
  privateSubnetCidrs: 'optional',
  publicSubnetCidrs: 'optional',
  existingVpc: 'optional',
  namePrefix: 'optional',
  natMode: 'optional',
  flowLogs: 'optional',
  accountId: 'optional',
  endpointPolicy: 'optional',
  s3GatewayEndpoint: 'optional',
  interfaceEndpoints: 'optional',
  tables: 'optional',
  functions: 'optional',
  database: 'optional',
  logKmsKeyArn: 'optional',
  tags: 'optional',
} as const satisfies PropSpec<VpcLambdaDynamoDbProps>;
const FUNCTION_SETTINGS = {
  code: 'required',
  handler: 'optional',
  description: 'optional',
  runtime: 'optional',
  architecture: 'optional',
  memorySize: 'optional',
  timeout: 'optional',
  reservedConcurrency: 'optional',
  logRetentionInDays: 'optional',
  applicationLogLevel: 'optional',
  systemLogLevel: 'optional',
  onFailureDestinationArn: 'optional',
  failureQueueEnabled: 'optional',
  maximumRetryAttempts: 'optional',
  tracing: 'optional',
  logKmsKeyArn: 'optional',
  environment: 'optional',
  tableAccess: 'optional',
  bucketAccess: 'optional',
  databaseAccess: 'optional',
  internetEgress: 'optional',
  streamFrom: 'optional',
  layers: 'optional',
  policyStatements: 'optional',
  managedPolicyArns: 'optional',
  provisionedConcurrency: 'optional',
  functionUrl: 'optional',
} as const satisfies PropSpec<FunctionSettings>;
const TABLE_SETTINGS = {
  tableName: 'optional',
  hashKey: 'required',
  hashKeyType: 'optional',
  rangeKey: 'optional',
  rangeKeyType: 'optional',
  attributes: 'optional',
  globalSecondaryIndexes: 'optional',
  localSecondaryIndexes: 'optional',
  billingMode: 'optional',
  readCapacity: 'optional',
  writeCapacity: 'optional',
  autoScaling: 'optional',
  tableClass: 'optional',
  streamViewType: 'optional',
  ttlAttribute: 'optional',
  deletionProtection: 'optional',
  pointInTimeRecovery: 'optional',
  kmsKeyArn: 'optional',
  environmentVariable: 'optional',
  tags: 'optional',
} as const satisfies PropSpec<TableSettings>;
const DATABASE_SETTINGS = {
  enabled: 'optional',
  existing: 'optional',
  auth: 'optional',
  instanceClass: 'optional',
  deletionProtection: 'optional',
  multiAz: 'optional',
  performanceInsights: 'optional',
  monitoringIntervalSeconds: 'optional',
  kmsKeyArn: 'optional',
} as const satisfies PropSpec<DatabaseSettings>;
const FLOW_LOG_SETTINGS = { enabled: 'optional', retentionInDays: 'optional', kmsKeyArn: 'optional', format: 'optional' } as const satisfies PropSpec<FlowLogSettings>;

/**
 * Refuses an unknown or missing prop anywhere in the declaration, naming it by its path
 * (`functions.api.timout`): the app runs through tsx, where TypeScript never sees it.
 */
function checkSystemProps(props: VpcLambdaDynamoDbProps): void {
  checkProps('', props, 'VpcLambdaDynamoDbProps', SYSTEM_PROPS);
  if (props.existingVpc !== undefined) checkProps('existingVpc', props.existingVpc, 'ExistingVpcProps', EXISTING_VPC_PROPS);
  if (props.flowLogs !== undefined) checkProps('flowLogs', props.flowLogs, 'FlowLogSettings', FLOW_LOG_SETTINGS);
  if (props.database !== undefined) checkProps('database', props.database, 'DatabaseSettings', DATABASE_SETTINGS);
  if (props.database?.existing !== undefined) checkProps('database.existing', props.database.existing, 'ExistingDatabaseProps', EXISTING_DATABASE_PROPS);
  for (const [kind, entries] of [['tables', props.tables ?? {}], ['functions', props.functions ?? {}]] as const) {
    for (const [key, settings] of Object.entries(entries)) {
      if (!KEY.test(key)) throw new ConfigError(`${kind}.${key}`, 'key must be 1 to 32 lowercase letters, digits and hyphens, starting with a letter: it becomes part of resource names');
      if (kind === 'tables') checkProps(`tables.${key}`, settings as TableSettings, 'TableSettings', TABLE_SETTINGS, { hashKey: 'the partition key attribute, like "id"' });
      else checkProps(`functions.${key}`, settings as FunctionSettings, 'FunctionSettings', FUNCTION_SETTINGS, { code: CODE_EXPECTED });
    }
  }
}

/**
 * A private serverless system from one declaration: a VPC (or an adopted one) with the free
 * DynamoDB gateway endpoint, optional NAT and flow logs, the user's tables and functions, and
 * an optional PostgreSQL. Each function's role, security group and the endpoint policy are
 * derived from its `tableAccess` and `databaseAccess`; grants made later through
 * `table(...).grant*(function(...))` land in the endpoint policy too.
 */
export class VpcLambdaDynamoDb extends Construct {
  public readonly network: Network;
  public readonly endpoint: DynamoDbGatewayEndpoint;
  /** The S3 gateway endpoint, unless s3GatewayEndpoint is false. */
  public readonly s3Endpoint?: S3GatewayEndpoint;
  /** The interface endpoints, when interfaceEndpoints names any. */
  public readonly interfaceEndpoints?: InterfaceEndpoints;
  public readonly nat: NatGateways;
  public readonly flowLogs: FlowLogs;
  public readonly namePrefix: string;
  /** The created tables, by key. */
  public readonly tables: Readonly<Record<string, ITable>>;
  /** The functions, by key. */
  public readonly functions: Readonly<Record<string, VpcFunction>>;
  /** The database, when one is created or wired. */
  public readonly database?: IPostgresDatabase;

  constructor(scope: Construct, id: string, props: VpcLambdaDynamoDbProps) {
    super(scope, id);
    checkFramework(this, 'VpcLambdaDynamoDb');
    checkSystemProps(props);
    const namePrefix = props.namePrefix ?? 'vpc-lambda-dynamodb';
    if (isLiteral(namePrefix) && !/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(namePrefix)) {
      throw new ConfigError(
        'namePrefix',
        `"${namePrefix}" must be 2 to 32 characters of lowercase letters, digits and hyphens, starting with a letter`,
      );
    }
    checkKmsKeyArn('logKmsKeyArn', props.logKmsKeyArn);
    // Checked against the stack's AWS provider, read from it when not given (private/region.ts).
    const region = awsRegion(this, props.region);
    this.namePrefix = namePrefix;
    const tags = props.tags ?? {};
    const tableSettings = props.tables ?? {};
    const functionSettings = props.functions ?? {};
    for (const key of Object.keys(functionSettings)) {
      const name = `${namePrefix}-${key}`;
      if (isLiteral(namePrefix) && name.length > MAX_FUNCTION_NAME_LENGTH) {
        throw new ConfigError(
          `functions.${key}`,
          `${name} is longer than ${MAX_FUNCTION_NAME_LENGTH} characters (the role is named <namePrefix>-<key>-role and IAM allows 64); shorten namePrefix or the key`,
        );
      }
    }

    this.network = new Network(this, 'network', {
      namePrefix,
      region,
      availabilityZones: props.availabilityZones,
      maxAzs: props.maxAzs,
      vpcCidr: props.vpcCidr,
      privateSubnetCidrs: props.privateSubnetCidrs,
      publicSubnetCidrs: props.publicSubnetCidrs,
      existingVpc: props.existingVpc,
      tags,
    });

    const tableScope = new Construct(this, 'tables');
    const tables: Record<string, ITable> = {};
    for (const [key, settings] of Object.entries(tableSettings)) {
      tables[key] = new DynamoDbTable(tableScope, key, { ...settings, tableName: settings.tableName ?? `${namePrefix}-${key}`, tags: settings.tags ? { ...tags, ...settings.tags } : tags });
    }
    this.tables = tables;

    const policy = props.endpointPolicy ?? 'system-tables';
    this.endpoint = new DynamoDbGatewayEndpoint(this, 'dynamodb', {
      namePrefix,
      region,
      vpcId: this.network.vpcId,
      routeTableIds: this.network.privateRouteTableIds,
      policy: policy === 'open' ? EndpointPolicy.open() : policy === 'system-tables' ? EndpointPolicy.fromDocument(policyJson(() => this.endpointStatements())) : policy,
      tags,
    });

    checkInterfaceEndpoints('interfaceEndpoints', props.interfaceEndpoints ?? []);
    if (props.s3GatewayEndpoint !== undefined && typeof props.s3GatewayEndpoint !== 'boolean') {
      throw new ConfigError('s3GatewayEndpoint', `expected true or false, got ${JSON.stringify(props.s3GatewayEndpoint)}`);
    }
    if (props.s3GatewayEndpoint ?? props.existingVpc === undefined) {
      this.s3Endpoint = new S3GatewayEndpoint(this, 's3', {
        namePrefix,
        region,
        vpcId: this.network.vpcId,
        routeTableIds: this.network.privateRouteTableIds,
        policy: policy === 'open' ? EndpointPolicy.open() : EndpointPolicy.fromDocument(policyJson(() => bucketEndpointStatements(Object.values(this.functions).flatMap((f) => f.bucketAccess)))),
        tags,
      });
    }
    if ((props.interfaceEndpoints ?? []).length > 0) {
      this.interfaceEndpoints = new InterfaceEndpoints(this, 'interface_endpoints', {
        namePrefix,
        region,
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnets.subnetIds,
        services: props.interfaceEndpoints!,
        tags,
      });
    }

    this.nat = new NatGateways(this, 'nat', { namePrefix, mode: props.natMode, network: this.network, tags });

    const db = props.database;
    if (db?.existing) {
      this.database = PostgresDatabase.fromExisting(this, 'database', db.existing);
    } else if (db && db.enabled !== false) {
      this.database = new PostgresDatabase(this, 'database', {
        namePrefix,
        vpcId: this.network.vpcId,
        subnets: this.network.privateSubnets,
        instanceClass: db.instanceClass,
        deletionProtection: db.deletionProtection,
        multiAz: db.multiAz,
        performanceInsights: db.performanceInsights,
        monitoringIntervalSeconds: db.monitoringIntervalSeconds,
        kmsKeyArn: db.kmsKeyArn,
        logKmsKeyArn: props.logKmsKeyArn,
        tags,
      });
    }

    const functions: Record<string, VpcFunction> = {};
    for (const [key, settings] of Object.entries(functionSettings)) {
      // Said in the system's own names: VpcFunction's are allowInternetEgress and natEnabled.
      if (settings.internetEgress === true && this.nat.enabled === false) {
        throw new ConfigError(`functions.${key}.internetEgress`, 'needs natMode single or per-az: without NAT there is no internet path to allow');
      }
      const fn = new VpcFunction(this, key, {
        functionName: `${namePrefix}-${key}`,
        description: settings.description,
        code: settings.code,
        handler: settings.handler,
        runtime: settings.runtime,
        architecture: settings.architecture,
        memorySize: settings.memorySize,
        timeout: settings.timeout,
        reservedConcurrency: settings.reservedConcurrency,
        logRetentionInDays: settings.logRetentionInDays,
        applicationLogLevel: settings.applicationLogLevel,
        systemLogLevel: settings.systemLogLevel,
        onFailureDestinationArn: settings.onFailureDestinationArn,
        failureQueueEnabled: settings.failureQueueEnabled,
        maximumRetryAttempts: settings.maximumRetryAttempts,
        tracing: settings.tracing,
        logKmsKeyArn: settings.logKmsKeyArn ?? props.logKmsKeyArn,
        environment: settings.environment,
        layers: settings.layers,
        policyStatements: settings.policyStatements,
        managedPolicyArns: settings.managedPolicyArns,
        provisionedConcurrency: settings.provisionedConcurrency,
        functionUrl: settings.functionUrl,
        subnets: this.network.privateSubnets,
        vpcId: this.network.vpcId,
        dynamoDbPrefixListId: this.endpoint.prefixListId,
        natEnabled: this.nat.enabled,
        allowInternetEgress: settings.internetEgress,
        tags,
      });
      for (const [target, actions] of Object.entries(settings.tableAccess ?? {})) {
        const input = `functions.${key}.tableAccess.${target}`;
        checkTableActions(input, actions);
        // `<table>/index/<name>`: that index only, one the table declares.
        const [tableRef, index, ...more] = target.split('/index/');
        if (more.length > 0) throw new ConfigError(input, 'names more than one index; write <table>/index/<name>');
        const table = this.table(tableRef, `functions.${key}.tableAccess`);
        if (index !== undefined) checkIndexGrant(input, table, tableRef, index, actions);
        table.grant(fn, actions, index !== undefined ? { index } : undefined);
      }
      for (const [bucketArn, actions] of Object.entries(settings.bucketAccess ?? {})) {
        checkBucketAccess(`functions.${key}.bucketAccess.${bucketArn}`, bucketArn, actions);
        if (!this.s3Endpoint && settings.internetEgress !== true) {
          throw new ConfigError(
            `functions.${key}.bucketAccess`,
            'needs a path to S3: s3GatewayEndpoint true (off by default with existingVpc), or internetEgress through NAT',
          );
        }
        if (this.s3Endpoint) this.s3Endpoint.grantBucketAccess(fn, bucketArn, actions);
        else fn.addBucketAccess(bucketArn, actions);
      }
      this.interfaceEndpoints?.allowFrom(key, fn.securityGroup.securityGroupId);
      if (settings.databaseAccess) {
        if (!this.database) {
          throw new ConfigError(`functions.${key}.databaseAccess`, 'is true but there is no database: set database (enabled, or existing)');
        }
        if (db?.auth === 'secret' && settings.internetEgress !== true) {
          throw new ConfigError(
            'database.auth',
            `"secret" needs a path to Secrets Manager: set natMode single or per-az and functions.${key}.internetEgress, or use "iam" (signed locally, no path needed)`,
          );
        }
        this.database.grantConnect(fn, { auth: db?.auth });
      }
      if (settings.streamFrom !== undefined) {
        const source = this.tables[settings.streamFrom];
        if (!(source instanceof DynamoDbTable)) {
          throw new ConfigError(`functions.${key}.streamFrom`, `"${settings.streamFrom}" is not a key of tables (${Object.keys(this.tables).join(', ') || 'none'})`);
        }
        fn.addTableStreamSource(source);
      }
      functions[key] = fn;
    }
    this.functions = functions;

    const flowLogsEnabled = props.flowLogs?.enabled ?? true;
    const accountId = flowLogAccountId(props.accountId, this.network.ownerAccountId, flowLogsEnabled);
    this.flowLogs = new FlowLogs(this, 'flow_logs', {
      namePrefix,
      region,
      vpcId: this.network.vpcId,
      accountId,
      enabled: flowLogsEnabled,
      retentionInDays: props.flowLogs?.retentionInDays,
      kmsKeyArn: props.flowLogs?.kmsKeyArn,
      format: props.flowLogs?.format,
      tags,
    });
  }

  /** A table by key of `tables`, or imported by ARN (once per ARN). */
  table(keyOrArn: string, input = 'table'): ITable {
    const created = this.tables[keyOrArn];
    if (created) return created;
    if (tableNameOfArn(keyOrArn)) {
      const id = `imported_${tableNameOfArn(keyOrArn)}`;
      return (this.node.tryFindChild(id) as ITable | undefined) ?? DynamoDbTable.fromTableArn(this, id, keyOrArn);
    }
    throw new ConfigError(`${input}.${keyOrArn}`, `is neither a key of tables (${Object.keys(this.tables).join(', ') || 'none'}) nor a DynamoDB table ARN`);
  }

  /** A function by key of `functions`. */
  function(key: string): VpcFunction {
    const fn = this.functions[key];
    if (!fn) throw new ConfigError(`function.${key}`, `is not a key of functions (${Object.keys(this.functions).join(', ') || 'none'})`);
    return fn;
  }

  /**
   * The endpoint policy of `system-tables`: every granted action on every granted table and
   * its indexes; with no grant, nothing (a Deny: the endpoint carries no traffic until a
   * function is granted a table). Read at synth, so later grants are included.
   */
  private endpointStatements(): PolicyStatement[] {
    const grants = Object.values(this.functions).flatMap((f) => f.tableAccess);
    if (grants.length === 0) {
      return [{ Sid: 'NoTableGranted', Effect: 'Deny', Principal: '*', Action: ['dynamodb:*'], Resource: '*' }];
    }
    // A table grant opens the table and its indexes; a grant on one index, that index only.
    const resources = [...new Set(grants.flatMap((g) => g.resources ?? [g.tableArn, `${g.tableArn}/index/*`]))];
    const actions = [...new Set(grants.flatMap((g) => g.actions))].sort();
    return [{ Sid: 'SystemTablesOnly', Effect: 'Allow', Principal: '*', Action: actions, Resource: resources }];
  }
}

function flowLogAccountId(given: string | undefined, owner: string | undefined, enabled: boolean): string {
  if (given !== undefined && owner !== undefined && !isLiteral(given)) {
    return Token.asString(Fn.coalesce([given, owner]));
  }
  if (given !== undefined) return given;
  if (owner !== undefined) return owner;
  if (enabled === false) return '';
  throw new ConfigError(
    'accountId',
    'is required when flow logs are on and the VPC is adopted: it scopes the flow-log role trust (aws:SourceAccount) to your account',
  );
}
