import { TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaProvisionedConcurrencyConfig } from '@cdktf/provider-aws/lib/lambda-provisioned-concurrency-config';
import { functionUrlShape, liveAliasShape, provisionedConcurrencyShape, tableStreamMappingShape } from '../../constructs/function-invocation-shape';
import { counted } from '../../private/tokens';
import { ModuleTables } from './module-tables';
import { eachFunctionWhere } from './module-function-subsets';

/** The function resources the per-function additions attach to. */
export interface FunctionAdditionsTargets {
  readonly functions: LambdaFunction;
  readonly roles: IamRole;
  /** The tables by key (`local.tables_by_key`, autoscaled or not). */
  readonly tables: ModuleTables;
  /** The local of each function's on-failure destination (`{ arn, sqs }`), by function key. */
  readonly failureDestinations: string;
}

/** What the additions are, for outputs. */
export interface FunctionAdditions {
  readonly aliases: LambdaAlias;
  readonly urls: LambdaFunctionUrl;
}

/**
 * Per function, what VpcFunction adds from the same props: the declared statements as their
 * own inline policy (`declared-statements`), the managed policies, provisioned concurrency on
 * the alias `live`, a function URL, and the event source mapping of `stream_from`. Each exists
 * only for the functions that ask for it, so a call that does not plans nothing new.
 */
export function moduleFunctionAdditions(scope: Construct, t: FunctionAdditionsTargets): FunctionAdditions {
  const local = (id: string, expression: string) => new TerraformLocal(scope, id, expression);
  const where = (id: string, condition: string) => eachFunctionWhere(scope, id, condition);

  new IamRolePolicy(scope, 'function_declared_policy', {
    forEach: where('functions_with_policy_statements', 'length(f.policy_statements) > 0'),
    name: 'declared-statements',
    role: counted(t.roles, '[each.key].id'),
    policy:
      '${jsonencode({ Version = "2012-10-17", Statement = [for sid, st in each.value.policy_statements : ' +
      '{ Sid = sid, Effect = st.effect, Action = st.actions, Resource = st.resources }] })}',
  });

  // Keyed "<function> <policy ARN>": both are given by the caller, so the keys are known at plan.
  const attachments = local(
    'function_managed_policies',
    '${{ for pair in flatten([for k, f in var.functions : [for arn in f.managed_policy_arns : { key = k, arn = arn }]]) : "${pair.key} ${pair.arn}" => pair }}',
  );
  new IamRolePolicyAttachment(scope, 'function_managed_policy', {
    forEach: TerraformIterator.fromMap(attachments.asAnyMap),
    role: counted(t.roles, '[each.value.key].name'),
    policyArn: '${each.value.arn}',
  });

  const provisioned = where('functions_with_provisioned_concurrency', 'f.provisioned_concurrency > 0');
  const functionName = counted(t.functions, '[each.key].function_name');
  const aliases = new LambdaAlias(scope, 'function_alias', { forEach: provisioned, ...liveAliasShape(functionName, counted(t.functions, '[each.key].version')) });
  const aliasesRef = `${aliases.terraformResourceType}.${aliases.friendlyUniqueId}`;
  new LambdaProvisionedConcurrencyConfig(scope, 'function_provisioned_concurrency', {
    forEach: provisioned,
    ...provisionedConcurrencyShape(functionName, counted(aliases, '[each.key].name'), Token.asNumber('${each.value.provisioned_concurrency}')),
  });
  // Events reach the alias when there is one, else the function's latest version.
  const target = (key: string) => `contains(keys(${aliasesRef}), ${key}) ? ${aliasesRef}[${key}]`;

  const urls = new LambdaFunctionUrl(scope, 'function_url', {
    forEach: where('functions_with_url', 'f.function_url != null'),
    ...functionUrlShape(functionName, `\${${target('each.key')}.name : null}`, { authType: '${each.value.function_url.auth_type}', invokeMode: '${each.value.function_url.invoke_mode}' }),
  });

  const mapping = new LambdaEventSourceMapping(scope, 'function_stream', {
    forEach: where('functions_with_stream', 'f.stream_from != null'),
    ...tableStreamMappingShape(
      `\${${t.tables.byKey}[each.value.stream_from].stream_arn}`,
      `\${${target('each.key')}.arn : ${t.functions.terraformResourceType}.${t.functions.friendlyUniqueId}[each.key].arn}`,
    ),
    // The role's stream read grant (in its inline policy) must exist before Lambda checks it.
    dependsOn: [t.functions],
  });
  mapping.addOverride('dynamic.destination_config', {
    for_each: `\${contains(keys(${t.failureDestinations}), each.key) ? [${t.failureDestinations}[each.key].arn] : []}`,
    content: { on_failure: { destination_arn: '${destination_config.value}' } },
  });
  return { aliases, urls };
}
