import { Construct } from 'constructs';
import { Fn, Op, TerraformLocal, Token } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { checkKmsKeyArn } from '../private/kms-key';
import { SubnetGroup } from './network';
import { and, asBoolean, choose, countWhen, counted, countedOne, isLiteral, not, or, tagsWithName } from '../private/tokens';
import { policyJson } from '../private/iam-statements';
import { awsPartition } from '../private/partition';
import { suppressLogGroupRules, validateLogRetention } from '../private/log-retention';
import { suppressScannerRules } from '../private/scanner-suppressions';
import { VpcFunction } from './vpc-function';

import { POSTGRES_PORT } from '../private/ports';
import { checkFramework } from '../private/framework';

export { POSTGRES_PORT };
/** Instance class of a created instance unless one is given: the smallest Graviton class. */
export const DEFAULT_DATABASE_INSTANCE_CLASS = 'db.t4g.micro';
/** Log types RDS for PostgreSQL can export to CloudWatch Logs. */
export const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade', 'iam-db-auth-error'] as const;
/** Enhanced monitoring intervals RDS accepts, in seconds (0: off). */
export const RDS_MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;
/** How a function authenticates to the database. */
export const DATABASE_AUTH_MODES = ['iam', 'secret'] as const;
/** One of {@link DATABASE_AUTH_MODES}. */
export type DatabaseAuthMode = (typeof DATABASE_AUTH_MODES)[number];

/** A database this module did not create, wired by its security group and endpoint. */
export interface ExistingDatabaseProps {
  /** Security group of the database; an ingress rule from each granted function is added to it. */
  readonly securityGroupId: string;
  /** Host name of the endpoint. */
  readonly host: string;
  /**
   * Port.
   * @default 5432
   */
  readonly port?: number;
  /** Database name. */
  readonly databaseName: string;
  /** The instance's resource id (`db-...`), for IAM authentication's `rds-db:connect`. */
  readonly resourceId: string;
  /** ARN of the instance, for the partition, region and account of `rds-db:connect`. */
  readonly instanceArn: string;
}

/** Every prop of {@link ExistingDatabaseProps}: unknown ones are refused (see checkProps). */
export const EXISTING_DATABASE_PROPS = {
  securityGroupId: 'required',
  host: 'required',
  port: 'optional',
  databaseName: 'required',
  resourceId: 'required',
  instanceArn: 'required',
} as const satisfies PropSpec<ExistingDatabaseProps>;

/** Props of {@link PostgresDatabase}. */
export interface PostgresDatabaseProps {
  /** Name prefix: instance `<prefix>-postgres`. */
  readonly namePrefix: string;
  /** VPC of the database. */
  readonly vpcId: string;
  /** Private subnets for the subnet group (two AZs at least). A public placement is refused. */
  readonly subnets: SubnetGroup;
  /**
   * Create the instance (false: nothing is created). May be a Terraform expression.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * PostgreSQL major version.
   * @default '17'
   */
  readonly engineVersion?: string;
  /**
   * Instance class.
   * @default 'db.t4g.micro'
   */
  readonly instanceClass?: string;
  /**
   * Storage in GB (gp3), 20 to 65536.
   * @default 20
   */
  readonly allocatedStorageGb?: number;
  /**
   * Name of the database created in the instance.
   * @default 'app'
   */
  readonly databaseName?: string;
  /**
   * Standby in a second AZ.
   * @default false
   */
  readonly multiAz?: boolean;
  /**
   * Days of automated backups, 1 to 35.
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Refuse deletion (and take a final snapshot when it is turned off and the instance deleted).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Performance Insights (7 days of retention, the free tier).
   * @default true
   */
  readonly performanceInsights?: boolean;
  /**
   * Logs exported to CloudWatch, each into a log group created here with `logRetentionInDays`.
   * @default ['postgresql', 'upgrade']
   */
  readonly logExports?: ReadonlyArray<(typeof POSTGRES_LOG_EXPORTS)[number]>;
  /**
   * Days the exported logs are kept.
   * @default 30
   */
  readonly logRetentionInDays?: number;
  /**
   * KMS key ARN for the exported logs' log groups.
   * @default undefined: CloudWatch Logs' own encryption
   */
  readonly logKmsKeyArn?: string;
  /**
   * Enhanced monitoring interval in seconds (0, 1, 5, 10, 15, 30, 60); above 0 a monitoring role is created.
   * @default 0: off
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * Customer-managed KMS key for the storage and Performance Insights (changing it replaces the instance).
   * @default undefined: the AWS managed key aws/rds
   */
  readonly kmsKeyArn?: string;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
  /**
   * A database made elsewhere to wire instead when `use` is true. For the published module,
   * where `use` is a Terraform expression: the choice between creating and wiring is made at
   * plan. (At synth, use {@link PostgresDatabase.fromExisting}.)
   * @default undefined
   */
  readonly alternative?: { readonly existing: ExistingDatabaseProps; readonly use: boolean };
}

/** A PostgreSQL database functions can be granted: created here or made elsewhere, wired the same way. */
export interface IPostgresDatabase {
  /** Security group of the database: granted functions get an ingress rule on it. */
  readonly securityGroupId: string;
  /** Host name of the endpoint. */
  readonly host: string;
  /** Port. */
  readonly port: number;
  /** Database name. */
  readonly databaseName: string;
  /** The instance's resource id (`db-...`), for `rds-db:connect`. */
  readonly resourceId: string;
  /** ARN of the instance (partition, region and account of `rds-db:connect`). */
  readonly instanceArn: string;
  /** Whether the database exists (a Terraform expression in the published module). */
  readonly enabled: boolean;
  /** The RDS-managed master secret, for a database created here. */
  readonly masterSecretArn?: string;
  /** Lets a function connect: 5432 both ways, `DB_*` variables, the credential path. */
  grantConnect(fn: VpcFunction, options?: { auth?: DatabaseAuthMode; dbUser?: string }): void;
}

/** The one way a function is wired to a database, created or existing. */
abstract class DatabaseBase extends Construct implements IPostgresDatabase {
  abstract readonly securityGroupId: string;
  abstract readonly host: string;
  abstract readonly port: number;
  abstract readonly databaseName: string;
  abstract readonly resourceId: string;
  abstract readonly instanceArn: string;
  abstract readonly enabled: boolean;
  abstract readonly masterSecretArn?: string;

  /**
   * Lets a function connect: 5432 from its security group to this one (both the function's
   * egress and this group's ingress), the endpoint in its environment, and the credential
   * path. `iam` (default) grants `rds-db:connect` for `dbUser` (a role created in the
   * database with `GRANT rds_iam`); the token is signed locally, so no NAT is needed.
   * `secret` grants reading the RDS-managed master secret, which needs a path to Secrets
   * Manager (NAT with internet egress), and is the master user: prefer `iam`.
   */
  grantConnect(fn: VpcFunction, options: { auth?: DatabaseAuthMode; dbUser?: string } = {}): void {
    const auth = options.auth ?? 'iam';
    const dbUser = options.dbUser ?? 'app_lambda';
    if (isLiteral(auth) && !(DATABASE_AUTH_MODES as readonly string[]).includes(auth)) {
      throw new ConfigError('database.auth', `"${auth}" is not an authentication mode; allowed: ${DATABASE_AUTH_MODES.join(', ')}`);
    }
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(dbUser)) {
      throw new ConfigError('database.dbUser', `"${dbUser}" is not a PostgreSQL role name (lowercase letters, digits, underscores)`);
    }
    const id = fn.node.id;
    fn.securityGroup.allowEgressTo(`postgres_${this.node.id}`, this.securityGroupId, POSTGRES_PORT, 'PostgreSQL', this.enabled);
    if (this.enabled !== false) {
      new VpcSecurityGroupIngressRule(this, `from_${id}`, {
        count: countWhen(this.enabled),
        securityGroupId: this.securityGroupId,
        description: `PostgreSQL from Lambda ${fn.functionName}`,
        ipProtocol: 'tcp',
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        referencedSecurityGroupId: fn.securityGroup.securityGroupId,
      });
    }
    fn.addEnvironment('DB_HOST', this.host);
    fn.addEnvironment('DB_PORT', Token.asString(this.port));
    fn.addEnvironment('DB_NAME', this.databaseName);
    fn.addEnvironment('DB_AUTH', auth);
    if (auth === 'secret') {
      if (!this.masterSecretArn) {
        throw new ConfigError('database.auth', '"secret" needs a database created here (RDS-managed master secret); use "iam" for an existing database');
      }
      fn.addEnvironment('DB_USER', 'postgres');
      fn.addEnvironment('DB_SECRET_ARN', this.masterSecretArn);
      fn.addPolicy(
        `${fn.node.id}_read_secret_${this.node.id}`,
        [{ Sid: 'ReadDatabaseSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [this.masterSecretArn] }],
        this.enabled,
      );
      return;
    }
    fn.addEnvironment('DB_USER', dbUser);
    // rds-db:connect names the database user by the instance's resource id and account.
    // Built in a local: a policy string must hold plain references to stay parseable JSON,
    // and try() keeps the local valid while a database switched off by a variable has no instance.
    const arnPart = (i: number) => Fn.element(Fn.split(':', this.instanceArn), i);
    const userArn = new TerraformLocal(
      this,
      `${fn.node.id}_db_user_arn`,
      Fn.try([Fn.format('arn:%s:rds-db:%s:%s:dbuser:%s/%s', [arnPart(1), arnPart(3), arnPart(4), this.resourceId, dbUser]), '']),
    );
    fn.addPolicy(
      `${fn.node.id}_connect_${this.node.id}`,
      [{ Sid: 'ConnectAsIamDatabaseUser', Effect: 'Allow', Action: ['rds-db:connect'], Resource: [userArn.asString] }],
      this.enabled,
    );
  }
}

/**
 * A private PostgreSQL instance: in the private subnets, not publicly accessible, storage
 * encrypted, IAM authentication on, the master password managed by RDS in Secrets Manager
 * (never in Terraform state), and a security group that admits 5432 only from the
 * functions granted access. `PostgresDatabase.fromExisting` wires a database made elsewhere.
 */
export class PostgresDatabase extends DatabaseBase {
  public readonly securityGroupId: string;
  public readonly host: string;
  public readonly port: number;
  public readonly databaseName: string;
  /** ARN of the Secrets Manager secret RDS keeps the master password in (created instance only). */
  public readonly masterSecretArn?: string;
  public readonly enabled: boolean;
  /** The instance's resource id (`db-...`), for `rds-db:connect`. */
  public readonly resourceId: string;
  /** ARN of the instance. */
  public readonly instanceArn: string;

  /** Wires a database created elsewhere: no instance is created, grants work the same. */
  static fromExisting(scope: Construct, id: string, props: ExistingDatabaseProps): IPostgresDatabase {
    return new ExistingPostgresDatabase(scope, id, props);
  }

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    checkFramework(this, 'PostgresDatabase');
    checkProps('database', props, 'PostgresDatabaseProps', POSTGRES_DATABASE_PROPS);
    if (props.subnets.public === true) {
      throw new ConfigError('database.subnets', 'are public subnets; the database must live in the private subnets');
    }
    const storage = props.allocatedStorageGb ?? 20;
    if (isLiteral(storage) && (!Number.isInteger(storage) || storage < 20 || storage > 65536)) {
      throw new ConfigError('database.allocatedStorageGb', `${storage} is outside what gp3 allows; allowed 20 to 65536`);
    }
    const backups = props.backupRetentionDays ?? 7;
    if (isLiteral(backups) && (!Number.isInteger(backups) || backups < 1 || backups > 35)) {
      throw new ConfigError('database.backupRetentionDays', `${backups} is not allowed; RDS keeps 1 to 35 days of automated backups`);
    }
    const logExports = props.logExports ?? ['postgresql', 'upgrade'];
    const unknownExports = logExports.filter((e) => !(POSTGRES_LOG_EXPORTS as readonly string[]).includes(e));
    if (unknownExports.length > 0) {
      throw new ConfigError('database.logExports', `${unknownExports.join(', ')}: not a PostgreSQL log type; allowed: ${POSTGRES_LOG_EXPORTS.join(', ')}`);
    }
    const logRetention = props.logRetentionInDays ?? 30;
    validateLogRetention('database.logRetentionInDays', logRetention);
    const interval = props.monitoringIntervalSeconds ?? 0;
    if (isLiteral(interval) && !(RDS_MONITORING_INTERVALS as readonly number[]).includes(interval)) {
      throw new ConfigError('database.monitoringIntervalSeconds', `${interval} is not an enhanced monitoring interval; allowed: ${RDS_MONITORING_INTERVALS.join(', ')}`);
    }
    checkKmsKeyArn('database.kmsKeyArn', props.kmsKeyArn);
    checkKmsKeyArn('database.logKmsKeyArn', props.logKmsKeyArn);
    const name = props.databaseName ?? 'app';
    if (isLiteral(name) && !/^[a-z][a-z0-9_]{0,62}$/.test(name)) {
      throw new ConfigError('database.databaseName', `"${name}" must start with a letter and hold up to 63 lowercase letters, digits or underscores`);
    }

    const alternative = props.alternative;
    const enabled = alternative ? and(props.enabled ?? true, not(alternative.use)) : (props.enabled ?? true);
    this.enabled = alternative ? or(enabled, alternative.use) : enabled;
    const count = () => countWhen(enabled);
    const tags = props.tags ?? {};
    const identifier = `${props.namePrefix}-postgres`;

    const group = new SecurityGroup(this, 'security_group', {
      count: count(),
      name: `${identifier}`,
      description: `PostgreSQL ${identifier}: 5432 from granted Lambda functions only`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: tagsWithName(tags, identifier),
    });
    const subnetGroup = new DbSubnetGroup(this, 'subnet_group', {
      count: count(),
      name: identifier,
      subnetIds: props.subnets.subnetIds,
      tags: tagsWithName(tags, identifier),
    });
    const deletionProtection = props.deletionProtection ?? true;
    // Created before the instance, so RDS writes into groups with a retention instead of making its own, kept forever.
    const logGroups = logExports.map((type) => {
      const group = new CloudwatchLogGroup(this, `log_group_${type.replace(/-/g, '_')}`, {
        count: count(),
        name: `/aws/rds/instance/${identifier}/${type}`,
        retentionInDays: logRetention,
        kmsKeyId: props.logKmsKeyArn,
        tags: tagsWithName(tags, `/aws/rds/instance/${identifier}/${type}`),
      });
      suppressLogGroupRules(group, logRetention, props.logKmsKeyArn);
      return group;
    });
    // A literal 0 creates nothing; a module variable decides at plan (`>= 1`: cdktf drops a right operand of 0).
    const monitoring = interval === 0 ? undefined : monitoringRole(this, identifier, and(enabled, isLiteral(interval) ? true : asBoolean(Op.gte(interval, 1))), tags);
    const performanceInsights = props.performanceInsights ?? true;
    // Retention and key only where Performance Insights is on: RDS refuses them otherwise.
    const whenInsights = <T>(value: T): T | undefined =>
      isLiteral(performanceInsights) ? (performanceInsights ? value : undefined) : (Fn.conditional(performanceInsights, value, Token.nullValue()) as T);
    const instance = new DbInstance(this, 'instance', {
      count: count(),
      identifier,
      engine: 'postgres',
      engineVersion: props.engineVersion ?? '17',
      instanceClass: props.instanceClass ?? DEFAULT_DATABASE_INSTANCE_CLASS,
      allocatedStorage: storage,
      storageType: 'gp3',
      storageEncrypted: true,
      dbName: name,
      username: 'postgres',
      // RDS generates and rotates the password in Secrets Manager: it never enters state.
      manageMasterUserPassword: true,
      iamDatabaseAuthenticationEnabled: true,
      publiclyAccessible: false,
      dbSubnetGroupName: counted(subnetGroup, '[0].name'),
      vpcSecurityGroupIds: [counted(group, '[0].id')],
      multiAz: props.multiAz ?? false,
      backupRetentionPeriod: backups,
      deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      kmsKeyId: props.kmsKeyArn,
      performanceInsightsEnabled: performanceInsights,
      performanceInsightsRetentionPeriod: Token.asNumber(whenInsights(7)),
      performanceInsightsKmsKeyId: props.kmsKeyArn === undefined ? undefined : Token.asString(whenInsights(props.kmsKeyArn)),
      enabledCloudwatchLogsExports: [...logExports],
      monitoringInterval: interval,
      monitoringRoleArn: monitoring ? countedOne(monitoring, 'arn') : undefined,
      dependsOn: logGroups,
      caCertIdentifier: 'rds-ca-rsa2048-g1',
      tags: tagsWithName(tags, identifier),
    });
    if (props.multiAz !== true) suppressScannerRules(instance, 'rdsMultiAz');
    if (interval === 0 || !isLiteral(interval)) suppressScannerRules(instance, 'rdsEnhancedMonitoring');
    if (performanceInsights !== false && (props.kmsKeyArn === undefined || !isLiteral(props.kmsKeyArn))) suppressScannerRules(instance, 'rdsPerformanceInsightsKey');
    if (alternative) {
      // Whichever database the plan picks; one() is null, not an error, for the one not created.
      const { existing: e, use } = alternative;
      this.securityGroupId = choose(use, e.securityGroupId, countedOne(group, 'id'));
      this.host = choose(use, e.host, countedOne(instance, 'address'));
      this.port = Token.asNumber(choose(use, Token.asString(e.port ?? POSTGRES_PORT), countedOne(instance, 'port')));
      this.databaseName = choose(use, e.databaseName, name);
      this.resourceId = choose(use, e.resourceId, countedOne(instance, 'resource_id'));
      this.instanceArn = choose(use, e.instanceArn, countedOne(instance, 'arn'));
      return;
    }
    this.securityGroupId = counted(group, '[0].id');
    this.host = counted(instance, '[0].address');
    this.port = Token.asNumber(counted(instance, '[0].port'));
    this.databaseName = name;
    this.resourceId = counted(instance, '[0].resource_id');
    this.instanceArn = counted(instance, '[0].arn');
    this.masterSecretArn = counted(instance, '[0].master_user_secret[0].secret_arn');
  }
}

/** The role RDS enhanced monitoring publishes OS metrics with (AWS's managed policy for it). */
function monitoringRole(scope: Construct, identifier: string, enabled: boolean, tags: Record<string, string>): IamRole {
  const role = new IamRole(scope, 'monitoring_role', {
    count: countWhen(enabled),
    name: `${identifier}-monitoring`,
    assumeRolePolicy: policyJson(() => [{ Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' }, Action: ['sts:AssumeRole'] }]),
    tags: tagsWithName(tags, `${identifier}-monitoring`),
  });
  const partition = awsPartition(scope);
  new IamRolePolicyAttachment(scope, 'monitoring_role_policy', {
    count: countWhen(enabled),
    role: counted(role, '[0].name'),
    policyArn: `arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
  });
  return role;
}

/** A database made elsewhere (see {@link PostgresDatabase.fromExisting}): nothing is created but the grants. */
class ExistingPostgresDatabase extends DatabaseBase {
  public readonly securityGroupId: string;
  public readonly host: string;
  public readonly port: number;
  public readonly databaseName: string;
  public readonly resourceId: string;
  public readonly instanceArn: string;
  public readonly enabled = true;
  public readonly masterSecretArn = undefined;

  constructor(scope: Construct, id: string, existing: ExistingDatabaseProps) {
    super(scope, id);
    checkFramework(this, 'PostgresDatabase.fromExisting');
    checkProps('database.existing', existing, 'ExistingDatabaseProps', EXISTING_DATABASE_PROPS);
    if (isLiteral(existing.securityGroupId) && !/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/.test(existing.securityGroupId)) {
      throw new ConfigError('database.existing.securityGroupId', `"${existing.securityGroupId}" is not a security group id (sg-...)`);
    }
    this.securityGroupId = existing.securityGroupId;
    this.host = existing.host;
    this.port = existing.port ?? POSTGRES_PORT;
    this.databaseName = existing.databaseName;
    this.resourceId = existing.resourceId;
    this.instanceArn = existing.instanceArn;
  }
}

/** Every prop of {@link PostgresDatabaseProps}. */
const POSTGRES_DATABASE_PROPS = {
  namePrefix: 'required',
  vpcId: 'required',
  subnets: 'required',
  enabled: 'optional',
  engineVersion: 'optional',
  instanceClass: 'optional',
  allocatedStorageGb: 'optional',
  databaseName: 'optional',
  multiAz: 'optional',
  backupRetentionDays: 'optional',
  deletionProtection: 'optional',
  performanceInsights: 'optional',
  logExports: 'optional',
  logRetentionInDays: 'optional',
  logKmsKeyArn: 'optional',
  monitoringIntervalSeconds: 'optional',
  kmsKeyArn: 'optional',
  tags: 'optional',
  alternative: 'optional',
} as const satisfies PropSpec<PostgresDatabaseProps>;
