import { LambdaAliasConfig } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaEventSourceMappingConfig } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunctionEventInvokeConfigConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaFunctionUrlConfig } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaProvisionedConcurrencyConfigConfig } from '@cdktf/provider-aws/lib/lambda-provisioned-concurrency-config';
import { FUNCTION_URL_AUTH_TYPES, FUNCTION_URL_INVOKE_MODES } from '../private/declared-permissions';

// How a function is invoked besides its own API, described once for both envelopes (as
// vpc-function-shape.ts describes the function itself): VpcFunction passes literals, the
// module `each.value.<field>` expressions; each envelope adds only its count or for_each and
// what is conditional in it (the module's dynamic destination blocks).

/** The alias that provisioned concurrency (and the function URL, with it) points at. */
export const LIVE_ALIAS = 'live';

/** What a table stream consumer's mapping does with a failing batch: split it, retry, then send it on. */
export const STREAM_SOURCE_DEFAULTS = { startingPosition: 'LATEST', batchSize: 100, maximumRetryAttempts: 10, bisectBatchOnFunctionError: true } as const;

/** Retries Lambda makes of a failed asynchronous invocation unless told otherwise. */
export const DEFAULT_ASYNC_RETRIES = 2;

/** The alias `live` on the function's latest published version. */
export function liveAliasShape(functionName: string, functionVersion: string): LambdaAliasConfig {
  return { name: LIVE_ALIAS, functionName, functionVersion };
}

/** `count` instances kept warm on `qualifier` (the alias). */
export function provisionedConcurrencyShape(functionName: string, qualifier: string, count: number): LambdaProvisionedConcurrencyConfigConfig {
  return { functionName, qualifier, provisionedConcurrentExecutions: count };
}

/** A function URL; `qualifier` the alias when there is one (undefined or null: the function itself). */
export function functionUrlShape(functionName: string, qualifier: string | undefined, url: { authType?: string; invokeMode?: string }): LambdaFunctionUrlConfig {
  return { functionName, qualifier, authorizationType: url.authType ?? FUNCTION_URL_AUTH_TYPES[0], invokeMode: url.invokeMode ?? FUNCTION_URL_INVOKE_MODES[0] };
}

/** A mapping from a table's stream to the function (or its alias): {@link STREAM_SOURCE_DEFAULTS}. */
export function tableStreamMappingShape(eventSourceArn: string, functionName: string, options: { startingPosition?: string; batchSize?: number } = {}): LambdaEventSourceMappingConfig {
  return {
    eventSourceArn,
    functionName,
    startingPosition: options.startingPosition ?? STREAM_SOURCE_DEFAULTS.startingPosition,
    batchSize: options.batchSize ?? STREAM_SOURCE_DEFAULTS.batchSize,
    maximumRetryAttempts: STREAM_SOURCE_DEFAULTS.maximumRetryAttempts,
    bisectBatchOnFunctionError: STREAM_SOURCE_DEFAULTS.bisectBatchOnFunctionError,
  };
}

/** The retries of a failed asynchronous invocation (its destination is the envelope's: a literal, or a dynamic block). */
export function eventInvokeConfigShape(functionName: string, maximumRetryAttempts: number | undefined): LambdaFunctionEventInvokeConfigConfig {
  return { functionName, maximumRetryAttempts: maximumRetryAttempts ?? DEFAULT_ASYNC_RETRIES };
}
