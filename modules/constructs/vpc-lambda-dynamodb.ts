import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { ConfigError } from '../private/config-error';
import { DynamoDbGatewayEndpoint } from './dynamodb-gateway-endpoint';
import { EndpointPolicy } from './endpoint-policy';
import { FlowLogs } from './flow-logs';
import { NatGateways, NatMode } from './nat-gateways';
import { ExistingVpcProps, Network } from './network';
import { DynamoDbTables, ExistingTable } from './dynamodb-tables';
import { FunctionCode } from './function-code';
import { DatabaseAuthMode, ExistingDatabaseProps, PostgresDatabase } from './postgres-database';
import { equals, isLiteral } from '../private/tokens';
import { LAMBDA_ARCHITECTURES, VpcFunction } from './vpc-function';

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
}

/** The two functions' code and shared settings. */
export interface FunctionSettings {
  /** Bundled handler folders (each with index.js), from functions/bundle.ts. */
  readonly bundles: { readonly products: string; readonly userActivity: string };
  /**
   * Memory of each function, MB.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout of each function, seconds.
   * @default 30
   */
  readonly timeout?: number;
  /**
   * Architecture.
   * @default 'arm64'
   */
  readonly architecture?: (typeof LAMBDA_ARCHITECTURES)[number];
  /**
   * Reserved concurrency of each function (caps database connections too).
   * @default undefined
   */
  readonly reservedConcurrency?: number;
  /**
   * Days the functions' log groups keep logs.
   * @default 30
   */
  readonly logRetentionInDays?: number;
  /**
   * Allow HTTPS to the internet through NAT (needs natMode single or per-az).
   * @default false
   */
  readonly allowInternetEgress?: boolean;
}

/** The DynamoDB tables. */
export interface TableSettings {
  /**
   * Create the tables; false uses `existing`.
   * @default true
   */
  readonly create?: boolean;
  /**
   * Existing tables, when not creating them.
   * @default undefined
   */
  readonly existing?: { readonly products: ExistingTable; readonly userActivity: ExistingTable };
  /**
   * Deletion protection of created tables.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** The PostgreSQL database user-activity reads. */
export interface DatabaseSettings {
  /**
   * Create a private RDS PostgreSQL instance.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Wire an existing database instead of creating one.
   * @default undefined
   */
  readonly existing?: ExistingDatabaseProps;
  /**
   * Whether to wire `existing` rather than create; a Terraform expression decides at plan.
   * @default true when `existing` is given
   */
  readonly useExisting?: boolean;
  /**
   * How user-activity authenticates.
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
}

/** Props of {@link VpcLambdaDynamoDb}. */
export interface VpcLambdaDynamoDbProps {
  /**
   * Prefix of every resource name.
   * @default 'vpc-lambda-dynamodb'
   */
  readonly namePrefix?: string;
  /** AWS region. */
  readonly region: string;
  /** Availability zones, 2 to 6, all in `region`. */
  readonly availabilityZones: string[];
  /**
   * CIDR of the created VPC.
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;
  /**
   * Private subnet CIDRs, one per AZ.
   * @default derived from vpcCidr
   */
  readonly privateSubnetCidrs?: string[];
  /**
   * Public subnet CIDRs, one per AZ (used with NAT only).
   * @default derived from vpcCidr
   */
  readonly publicSubnetCidrs?: string[];
  /**
   * Adopt an existing VPC.
   * @default undefined: create one
   */
  readonly existingVpc?: ExistingVpcProps;
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
   * Scope of the DynamoDB endpoint policy: `system-tables` allows only the actions the
   * functions use on the system's tables; `open` keeps AWS's default (IAM still limits).
   * @default 'system-tables' (when the functions are built), else 'open'
   */
  readonly endpointPolicy?: 'system-tables' | 'open' | EndpointPolicy;
  /**
   * The Lambda functions. Omit to build only the network.
   * @default undefined: no functions, tables or database
   */
  readonly functions?: FunctionSettings;
  /**
   * The DynamoDB tables (with functions only).
   * @default created
   */
  readonly tables?: TableSettings;
  /**
   * The PostgreSQL database (with functions only).
   * @default a created db.t4g.micro instance with IAM authentication
   */
  readonly database?: DatabaseSettings;
  /**
   * Tags on every resource.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** Every DynamoDB action the system's functions use: the endpoint policy allows these only. */
export const SYSTEM_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'] as const;

/**
 * The whole private system: network, DynamoDB gateway endpoint, optional NAT and flow
 * logs. Both envelopes (the deploy stack and the published module) build exactly this.
 */
export class VpcLambdaDynamoDb extends Construct {
  public readonly network: Network;
  public readonly endpoint: DynamoDbGatewayEndpoint;
  public readonly nat: NatGateways;
  public readonly flowLogs: FlowLogs;
  public readonly namePrefix: string;
  /** The tables, when functions are built. */
  public readonly tables?: DynamoDbTables;
  /** The database, when functions are built and it is enabled or wired. */
  public readonly database?: PostgresDatabase;
  /** The products function. */
  public readonly productsFunction?: VpcFunction;
  /** The user-activity function. */
  public readonly userActivityFunction?: VpcFunction;

  constructor(scope: Construct, id: string, props: VpcLambdaDynamoDbProps) {
    super(scope, id);
    const namePrefix = props.namePrefix ?? 'vpc-lambda-dynamodb';
    if (isLiteral(namePrefix) && !/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(namePrefix)) {
      throw new ConfigError(
        'namePrefix',
        `"${namePrefix}" must be 2 to 32 characters of lowercase letters, digits and hyphens, starting with a letter`,
      );
    }
    if (isLiteral(props.region) && !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(props.region)) {
      throw new ConfigError('region', `"${props.region}" is not an AWS region name like us-east-1`);
    }
    this.namePrefix = namePrefix;
    const tags = props.tags ?? {};

    this.network = new Network(this, 'network', {
      namePrefix,
      region: props.region,
      availabilityZones: props.availabilityZones,
      vpcCidr: props.vpcCidr,
      privateSubnetCidrs: props.privateSubnetCidrs,
      publicSubnetCidrs: props.publicSubnetCidrs,
      existingVpc: props.existingVpc,
      tags,
    });

    if (props.functions) {
      this.tables = new DynamoDbTables(this, 'tables', {
        namePrefix,
        create: props.tables?.create,
        existing: props.tables?.existing,
        deletionProtection: props.tables?.deletionProtection,
        tags,
      });
    }
    const policyScope = props.endpointPolicy ?? (this.tables ? 'system-tables' : 'open');
    // A Terraform expression (the module's endpoint_policy) picks system-tables or open at plan.
    const scopeAtPlan = typeof policyScope === 'string' && !isLiteral(policyScope);
    if ((policyScope === 'system-tables' || scopeAtPlan) && !this.tables) {
      throw new ConfigError('endpointPolicy', '"system-tables" needs the functions (and so the tables) to be built; use "open" or list tableArns and actions');
    }
    this.endpoint = new DynamoDbGatewayEndpoint(this, 'dynamodb', {
      namePrefix,
      region: props.region,
      vpcId: this.network.vpcId,
      routeTableIds: this.network.privateRouteTableIds,
      policy:
        policyScope === 'open'
          ? EndpointPolicy.open()
          : policyScope === 'system-tables'
            ? EndpointPolicy.allowTables([this.tables!.products.tableArn, this.tables!.userActivity.tableArn], [...SYSTEM_TABLE_ACTIONS])
            : scopeAtPlan
              ? EndpointPolicy.fromDocument(
                  Token.asString(
                    Fn.conditional(
                      equals(policyScope as string, 'system-tables'),
                      EndpointPolicy.allowTables(Token.asList(Fn.concat([[this.tables!.products.tableArn, this.tables!.userActivity.tableArn]])), [...SYSTEM_TABLE_ACTIONS]).document()!,
                      Token.nullValue(),
                    ),
                  ),
                )
              : (policyScope as EndpointPolicy),
      tags,
    });

    this.nat = new NatGateways(this, 'nat', { namePrefix, mode: props.natMode, network: this.network, tags });

    if (props.functions && this.tables) {
      const settings = props.functions;
      const common = {
        subnets: this.network.privateSubnets,
        vpcId: this.network.vpcId,
        dynamoDbPrefixListId: this.endpoint.prefixListId,
        natEnabled: this.nat.enabled,
        allowInternetEgress: settings.allowInternetEgress,
        architecture: settings.architecture,
        memorySize: settings.memorySize,
        timeout: settings.timeout,
        reservedConcurrency: settings.reservedConcurrency,
        logRetentionInDays: settings.logRetentionInDays,
        tags,
      };
      this.productsFunction = new VpcFunction(this, 'products', {
        ...common,
        functionName: `${namePrefix}-products`,
        description: 'Puts a product into the products table and reads it back, through the DynamoDB gateway endpoint',
        code: new FunctionCode(this, 'products_code', { bundleDir: settings.bundles.products }),
      });
      this.tables.products.grant(this.productsFunction, ['dynamodb:PutItem', 'dynamodb:GetItem']);

      this.userActivityFunction = new VpcFunction(this, 'user_activity', {
        ...common,
        functionName: `${namePrefix}-user-activity`,
        description: 'Reads a user from PostgreSQL and records the activity in DynamoDB',
        code: new FunctionCode(this, 'user_activity_code', { bundleDir: settings.bundles.userActivity }),
      });
      this.tables.userActivity.grant(this.userActivityFunction, ['dynamodb:PutItem']);

      const db = props.database ?? {};
      const useExisting = db.existing ? (db.useExisting ?? true) : false;
      if (db.existing && useExisting === true) {
        this.database = PostgresDatabase.fromExisting(this, 'database', db.existing);
      } else if (db.enabled !== false || !isLiteral(useExisting)) {
        this.database = new PostgresDatabase(this, 'database', {
          namePrefix,
          vpcId: this.network.vpcId,
          subnets: this.network.privateSubnets,
          enabled: db.enabled,
          instanceClass: db.instanceClass,
          deletionProtection: db.deletionProtection,
          alternative: db.existing && !isLiteral(useExisting) ? { existing: db.existing, use: useExisting } : undefined,
          tags,
        });
      }
      if (this.database) {
        if (db.auth === 'secret' && settings.allowInternetEgress !== true) {
          throw new ConfigError(
            'database.auth',
            '"secret" needs a path to Secrets Manager: set natMode single or per-az and functions.allowInternetEgress, or use "iam" (signed locally, no path needed)',
          );
        }
        this.database.grantConnect(this.userActivityFunction, { auth: db.auth });
      }
    }

    const flowLogsEnabled = props.flowLogs?.enabled ?? true;
    const accountId = flowLogAccountId(props.accountId, this.network.ownerAccountId, flowLogsEnabled);
    this.flowLogs = new FlowLogs(this, 'flow_logs', {
      namePrefix,
      region: props.region,
      vpcId: this.network.vpcId,
      accountId,
      enabled: flowLogsEnabled,
      retentionInDays: props.flowLogs?.retentionInDays,
      kmsKeyArn: props.flowLogs?.kmsKeyArn,
      tags,
    });
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
