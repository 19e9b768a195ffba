import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ConfigError } from './config-error';

/**
 * The package is built twice from this source: for CDKTF (`vpc-lambda-dynamodb`, importing
 * `cdktf`) and for CDK Terrain (`vpc-lambda-dynamodb/cdktn`, the same code with its framework
 * imports rewritten to `cdktn`; scripts/cdktn/build.ts). The two frameworks mark their stacks
 * and apps with the same symbols (`Symbol.for('cdktf/TerraformStack')`), so a construct of one
 * build placed in the other's stack is accepted at construction and fails deep inside synth
 * (`_resetResolveDiscoveredProviderFeatureUsage is not a function`). What tells them apart is
 * jsii's run-time type information, which both set on every class they export: the fully
 * qualified name `cdktf.TerraformStack` or `cdktn.TerraformStack`, inherited by a user's
 * `class MyStack extends TerraformStack`.
 */
export type Framework = 'cdktf' | 'cdktn';

const RTTI = Symbol.for('jsii.rtti');

/** What each framework is called in a message. */
const FRAMEWORK_NAMES: Record<Framework, string> = { cdktf: 'cdktf (CDKTF)', cdktn: 'cdktn (CDK Terrain)' };

/** The package entry that is built for each framework. */
const ENTRY: Record<Framework, string> = { cdktf: 'vpc-lambda-dynamodb', cdktn: 'vpc-lambda-dynamodb/cdktn' };

/** `cdktf` or `cdktn` from a class's jsii type information (`{ fqn: 'cdktn.App' }`), else undefined. */
export function frameworkOfClass(type: unknown): Framework | undefined {
  if (typeof type !== 'function') return undefined;
  const fqn = (type as unknown as Record<symbol, { fqn?: unknown } | undefined>)[RTTI]?.fqn;
  const match = typeof fqn === 'string' ? /^(cdktf|cdktn)\./.exec(fqn) : null;
  return match ? (match[1] as Framework) : undefined;
}

/** The framework an app or stack object belongs to, from its class; undefined for anything else. */
export function frameworkOf(node: unknown): Framework | undefined {
  return node !== null && typeof node === 'object' ? frameworkOfClass((node as object).constructor) : undefined;
}

/** The framework this build was compiled against: `cdktf`, or `cdktn` in the rewritten build. */
export const BUILT_FOR: Framework = frameworkOfClass(TerraformStack) ?? 'cdktf';

/**
 * Refuses a construct of this build inside a stack or app of the other framework, with one
 * line naming both, before anything reaches synth. The nearest enclosing stack is judged
 * first, then the app (a stack of this build under the other framework's app). A scope
 * with neither (a bare `Construct` root in a unit test) is not judged.
 *
 * @param construct the construct being created, already attached to its scope
 * @param kind its class name for the message (`VpcLambdaDynamoDb`)
 */
export function checkFramework(construct: IConstruct, kind: string, builtFor: Framework = BUILT_FOR): void {
  const scopes = construct.node.scopes.filter((scope) => scope !== construct);
  const stack = [...scopes].reverse().find((scope) => TerraformStack.isStack(scope));
  const app = scopes[0];
  for (const [node, what] of [
    [stack, 'stack'],
    [app, 'app'],
  ] as const) {
    const framework = frameworkOf(node);
    if (framework === undefined || framework === builtFor) continue;
    const path = node!.node.path;
    throw new ConfigError(
      'scope',
      `${kind} "${construct.node.id}" is from ${ENTRY[builtFor]}, built for ${FRAMEWORK_NAMES[builtFor]}, but its ${what}${path ? ` "${path}"` : ''} is ${FRAMEWORK_NAMES[framework]}; ` +
        `the two frameworks cannot be mixed in one app: import from ${ENTRY[framework]} in a ${framework} app`,
    );
  }
}
