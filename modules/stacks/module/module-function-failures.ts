import { TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { eventInvokeConfigShape } from '../../constructs/function-invocation-shape';
import { failureQueueShape } from '../../constructs/vpc-function-shape';
import { counted } from '../../private/tokens';
import { functionsWhere } from './module-function-subsets';

/**
 * Per function, what happens to a failed asynchronous invocation: `maximum_retry_attempts`
 * (0 to 2), then the on-failure destination, a queue created here (`failure_queue_enabled`:
 * `<name_prefix>-<key>-failed-events`, SQS-managed encryption, 14 days) or the caller's
 * `on_failure_destination_arn`, which the role may send to. The event invoke config exists only
 * for functions that set one of them, so a call that does not plans nothing new.
 */
export function asyncFailureControls(scope: Construct, functions: LambdaFunction, roles: IamRole, props: { readonly namePrefix: string; readonly tags: Record<string, string> }): string {
  const local = (id: string, expression: unknown) => new TerraformLocal(scope, id, expression);
  const withQueue = functionsWhere(scope, 'functions_with_failure_queue', 'f.failure_queue_enabled');
  const queueEach = TerraformIterator.fromMap(withQueue.asAnyMap);
  const queues = new SqsQueue(scope, 'function_failure_queue', { forEach: queueEach, ...failureQueueShape(`${props.namePrefix}-${queueEach.key}`, props.tags) });
  const queuesRef = `${queues.terraformResourceType}.${queues.friendlyUniqueId}`;
  const destinations = local(
    'function_failure_destinations',
    `\${{ for k, f in var.functions : k => { arn = f.failure_queue_enabled ? ${queuesRef}[k].arn : f.on_failure_destination_arn, sqs = f.failure_queue_enabled || can(regex(":sqs:", f.on_failure_destination_arn)) } if f.failure_queue_enabled || f.on_failure_destination_arn != null }}`,
  );
  const destinationsOf = `local.${destinations.friendlyUniqueId}`;
  // The keys of the for_each below must be known at plan: they come from var.functions alone.
  const withDestination = functionsWhere(scope, 'functions_with_failure_destination', 'f.failure_queue_enabled || f.on_failure_destination_arn != null');
  const destinationEach = TerraformIterator.fromMap(withDestination.asAnyMap);
  const sendPolicy = new IamRolePolicy(scope, 'function_failure_destination_policy', {
    forEach: destinationEach,
    name: 'send-failed-events',
    role: counted(roles, '[each.key].id'),
    policy: `\${jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "SendFailedEvents", Effect = "Allow", Action = [${destinationsOf}[each.key].sqs ? "sqs:SendMessage" : "sns:Publish"], Resource = [${destinationsOf}[each.key].arn] }] })}`,
  });
  const configured = functionsWhere(scope, 'functions_with_async_config', 'f.failure_queue_enabled || f.on_failure_destination_arn != null || f.maximum_retry_attempts != 2');
  const config = new LambdaFunctionEventInvokeConfig(scope, 'function_event_invoke_config', {
    forEach: TerraformIterator.fromMap(configured.asAnyMap),
    ...eventInvokeConfigShape(counted(functions, '[each.key].function_name'), Token.asNumber('${each.value.maximum_retry_attempts}')),
    dependsOn: [sendPolicy],
  });
  config.addOverride('dynamic.destination_config', {
    for_each: `\${contains(keys(${destinationsOf}), each.key) ? [${destinationsOf}[each.key].arn] : []}`,
    content: { on_failure: { destination: '${destination_config.value}' } },
  });
  return destinationsOf;
}
