import { Fn, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { POSTGRES_PORT, PostgresDatabase } from '../../constructs/postgres-database';
import { counted } from '../../private/tokens';
import { MODULE_DB_USER } from './module-function-inputs';

/** What the functions with `database_access` get, as `PostgresDatabase.grantConnect` gives a VpcFunction. */
export interface ModuleFunctionDatabase {
  /** The `rds-db:connect` policies (a function depends on its own). */
  readonly policy: IamRolePolicy;
  /** `local.database_environment`: the `DB_*` variables (no `${}`). */
  readonly environment: string;
  /** Opens 5432 from each such function's group (`groupOf`) into the database's, and out of it. */
  allowFrom(groupOf: string, functionName: string): void;
}

/** The database grants of the functions in `withDatabase` (a local of var.functions), for the database however it is given. */
export function moduleFunctionDatabase(scope: Construct, database: PostgresDatabase, roles: IamRole, withDatabase: TerraformLocal): ModuleFunctionDatabase {
  const local = (id: string, expression: unknown) => new TerraformLocal(scope, id, expression);
  // rds-db:connect names the database user by the instance's resource id and account; try()
  // keeps the local valid while there is no database (no function may then ask for one).
  // The instance ARN is parsed once (arn:<partition>:rds:<region>:<account>:db:<name>) and the
  // user ARN built from its parts; element() as before, so a short ARN behaves the same.
  const arnParts = local('database_instance_arn_parts', Fn.try([Fn.split(':', database.instanceArn), []]));
  const arnPart = (i: number) => Fn.element(arnParts.asList, i);
  const dbUserArn = local('database_user_arn', Fn.try([Fn.format('arn:%s:rds-db:%s:%s:dbuser:%s/%s', [arnPart(1), arnPart(3), arnPart(4), database.resourceId, MODULE_DB_USER]), '']));
  const each = () => TerraformIterator.fromMap(withDatabase.asAnyMap);
  const policy = new IamRolePolicy(scope, 'function_database_policy', {
    forEach: each(),
    name: 'connect-database',
    role: counted(roles, '[each.key].id'),
    policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Sid: 'ConnectAsIamDatabaseUser', Effect: 'Allow', Action: ['rds-db:connect'], Resource: [dbUserArn.asString] }] }),
    // A role's inline policy name cannot change in place: 0.1 named this one
    // `user-activity-connect-database`, and a moved 0.1 state (module-moves.ts) keeps that name
    // rather than deleting and re-creating the grant. New grants are named as above.
    lifecycle: { ignoreChanges: ['name'] },
  });
  const environment = local('database_environment', {
    DB_HOST: database.host,
    DB_PORT: Token.asString(database.port),
    DB_NAME: database.databaseName,
    DB_USER: MODULE_DB_USER,
    DB_AUTH: 'iam',
  });
  return {
    policy,
    environment: `local.${environment.friendlyUniqueId}`,
    allowFrom(groupOf: string, functionName: string): void {
      const postgres = { ipProtocol: 'tcp', fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT };
      new VpcSecurityGroupEgressRule(scope, 'function_postgres', { forEach: each(), securityGroupId: groupOf, description: 'PostgreSQL', ...postgres, referencedSecurityGroupId: database.securityGroupId });
      new VpcSecurityGroupIngressRule(scope, 'database_from_function', {
        forEach: each(),
        securityGroupId: database.securityGroupId,
        description: `PostgreSQL from Lambda ${functionName}`,
        ...postgres,
        referencedSecurityGroupId: groupOf,
      });
    },
  };
}
