import { ConfigError } from './config-error';
import { PolicyStatement } from './iam-statements';
import { isLiteral } from './tokens';

// What a function may be granted besides its tables and buckets: extra IAM statements, managed
// policies and layers. The rules are written once here: the constructs check them at synth, the
// module turns the same patterns into validations, so both surfaces refuse the same inputs.

/** An IAM action of a declared statement: `<service>:<Action>`; a `*` inside the name is a wildcard. */
export const DECLARED_ACTION_PATTERN = '^[a-z0-9-]+:[A-Za-z0-9*]+$';
/** A statement id IAM accepts. */
export const STATEMENT_SID_PATTERN = '^[A-Za-z0-9]{1,128}$';
/**
 * Services whose grants have their own declaration, because the endpoint policies are derived
 * from it: an Allow for them in a declared statement would pass IAM and be dropped at the endpoint.
 */
export const GRANTED_ELSEWHERE: Readonly<Record<string, string>> = { dynamodb: 'table_access', s3: 'bucket_access' };
/** A managed policy ARN: AWS's or the account's. */
export const MANAGED_POLICY_ARN_PATTERN = '^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/[A-Za-z0-9+=,.@_/-]+$';
/** AWS managed policies that undo least privilege: refused on a function's role. */
export const REFUSED_MANAGED_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'] as const;
/** A Lambda layer version ARN. */
export const LAYER_VERSION_ARN_PATTERN = '^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$';
/** Lambda's limit on layers per function. */
export const MAX_LAYERS = 5;
/** What a stream consumer's role is allowed on the stream of the table it reads (and nothing else). */
export const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'] as const;
/** Authorization types of a function URL; AWS_IAM is the default, NONE makes it public. */
export const FUNCTION_URL_AUTH_TYPES = ['AWS_IAM', 'NONE'] as const;
/** How a function URL returns: the whole response, or streamed (first byte sooner, up to 200 MB). */
export const FUNCTION_URL_INVOKE_MODES = ['BUFFERED', 'RESPONSE_STREAM'] as const;

/** One extra IAM statement of a function, keyed by its Sid. */
export interface DeclaredStatement {
  /** The actions, each `<service>:<Action>`. */
  readonly actions: string[];
  /** The resources: ARNs, or `*` (a wildcard: needs `wildcardAcknowledged`). */
  readonly resources: string[];
  /**
   * Allow or Deny.
   * @default 'Allow'
   */
  readonly effect?: 'Allow' | 'Deny';
  /**
   * An Allow with a `*` in an action or a resource is refused unless this says it is meant.
   * @default false
   */
  readonly wildcardAcknowledged?: boolean;
}

/** Refuses a declared statement that breaks a rule, naming `<at>.<sid>` and the field. */
export function checkDeclaredStatements(at: string, statements: Record<string, DeclaredStatement> | undefined): void {
  for (const [sid, st] of Object.entries(statements ?? {})) {
    const path = `${at}.${sid}`;
    if (!new RegExp(STATEMENT_SID_PATTERN).test(sid)) throw new ConfigError(path, 'the key is the statement id: 1 to 128 letters and digits');
    const effect = st.effect ?? 'Allow';
    if (isLiteral(effect) && effect !== 'Allow' && effect !== 'Deny') throw new ConfigError(`${path}.effect`, `"${effect}" must be Allow or Deny`);
    if (!Array.isArray(st.actions) || st.actions.length === 0) throw new ConfigError(`${path}.actions`, 'lists no action; name the actions the function uses');
    if (!Array.isArray(st.resources) || st.resources.length === 0) throw new ConfigError(`${path}.resources`, 'lists no resource; name the ARNs (or "*")');
    for (const action of st.actions.filter(isLiteral)) {
      if (!new RegExp(DECLARED_ACTION_PATTERN).test(action)) throw new ConfigError(`${path}.actions`, `"${action}" is not an IAM action (<service>:<Action>)`);
      const elsewhere = GRANTED_ELSEWHERE[action.split(':')[0]];
      if (effect === 'Allow' && elsewhere) {
        throw new ConfigError(`${path}.actions`, `"${action}" is granted through ${camel(elsewhere)}, which the endpoint policy is derived from; declare it there`);
      }
    }
    for (const resource of st.resources.filter(isLiteral)) {
      if (resource !== '*' && !resource.startsWith('arn:')) throw new ConfigError(`${path}.resources`, `"${resource}" is neither an ARN nor "*"`);
    }
    const wildcard = [...st.actions, ...st.resources].filter(isLiteral).find((x) => x.includes('*'));
    if (effect === 'Allow' && wildcard !== undefined && st.wildcardAcknowledged !== true) {
      throw new ConfigError(`${path}`, `allows "${wildcard}", a wildcard; name the actions and resources, or set wildcardAcknowledged: true`);
    }
  }
}

/** The IAM statements of declared statements, Sid from the key. */
export function declaredPolicyStatements(statements: Record<string, DeclaredStatement>): PolicyStatement[] {
  return Object.entries(statements).map(([sid, st]) => ({ Sid: sid, Effect: st.effect ?? 'Allow', Action: [...st.actions], Resource: [...st.resources] }));
}

/** Refuses a managed policy ARN that is not one, or one of {@link REFUSED_MANAGED_POLICIES}. */
export function checkManagedPolicyArns(at: string, arns: string[] | undefined): void {
  for (const arn of (arns ?? []).filter(isLiteral)) {
    if (!new RegExp(MANAGED_POLICY_ARN_PATTERN).test(arn)) throw new ConfigError(at, `"${arn}" is not a managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>)`);
    const refused = REFUSED_MANAGED_POLICIES.find((name) => arn.endsWith(`:policy/${name}`));
    if (refused) throw new ConfigError(at, `${refused} undoes least privilege; attach a policy that names what the function uses`);
  }
}

/** Refuses more than {@link MAX_LAYERS} layers, or one that is not a layer version ARN. */
export function checkLayers(at: string, layers: string[] | undefined): void {
  if (!layers) return;
  if (layers.length > MAX_LAYERS) throw new ConfigError(at, `${layers.length} layers; Lambda allows ${MAX_LAYERS}`);
  for (const arn of layers.filter(isLiteral)) {
    if (!new RegExp(LAYER_VERSION_ARN_PATTERN).test(arn)) throw new ConfigError(at, `"${arn}" is not a layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>)`);
  }
}

/** `table_access` as the constructs call it: `tableAccess`. */
function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
