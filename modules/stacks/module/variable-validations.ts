import { TerraformVariable, TerraformVariableValidationConfig } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Pieces both module input sets build their variables from, so a rule (and its message)
 * is written once however many variables use it.
 */

/** Declares a variable on `scope` and records it in `registry` (for docs and tests). */
export function declareVariable(
  scope: Construct,
  registry: Map<string, TerraformVariable>,
  name: string,
  config: ConstructorParameters<typeof TerraformVariable>[2],
): TerraformVariable {
  const variable = new TerraformVariable(scope, name, config);
  registry.set(name, variable);
  return variable;
}

/** A condition that holds unless `condition` does, in which case `then` must. */
export function onlyWhen(condition: string, then: string): string {
  return `\${${condition} ? ${then} : true}`;
}

/** `var.<name>` must be one of `allowed`; the message lists them. */
export function oneOf(name: string, allowed: readonly (string | number)[]): TerraformVariableValidationConfig {
  return {
    condition: `\${contains(${JSON.stringify(allowed)}, var.${name})}`,
    errorMessage: `${name} must be one of ${allowed.join(', ')}.`,
  };
}

/** What a `functions` or `tables` key may be: it is part of resource names. */
export const MODULE_KEY_PATTERN = '^[a-z][a-z0-9-]{0,31}$';
/** The rule behind {@link MODULE_KEY_PATTERN}, in words, for messages. */
export const MODULE_KEY_RULE = '1 to 32 lowercase letters, digits and hyphens, starting with a letter';

/** An HCL expression for a JSON-shaped value: JSON is valid HCL expression syntax (a string's escaping included). */
export const hcl = (value: unknown) => JSON.stringify(value);
/** An HCL list of literals. */
export const hclList = (values: readonly (string | number)[]) => hcl(values);

/** One rule over the entries `k => f` of a map variable: its name, what must hold (HCL, may fail: then it does not), the message. */
export type EntryRule = readonly [id: string, holds: string, message: string];

/**
 * Validations of the entries of `var.<name>`, in the given order (the rejected-inputs table and
 * the generated tests list them so): each rule holds for every entry, and the message has one
 * line per entry that breaks it (each naming the entry, so it names every bad function and key).
 * Written inline, not as a local of verdicts: in a module call a local built from `var.<name>`
 * waits for its validations, so a validation reading it would be a cycle.
 */
export function entryValidations(name: string, items: ReadonlyArray<EntryRule | TerraformVariableValidationConfig>): TerraformVariableValidationConfig[] {
  return items.map((item) => {
    if (!Array.isArray(item)) return item as TerraformVariableValidationConfig;
    const [, holds, message] = item as EntryRule;
    return nestedValidation((x) => `[for k, f in var.${name} : ${x}]`, `try(${holds}, false)`, message);
  });
}

/**
 * A validation over nested entries: `each` is a `for` over `var.functions` yielding, per nested
 * entry, `holds` (the predicate) or `message`; `fill(x)` puts either in. Valid when every
 * predicate holds; the message lists each entry where one does not.
 */
export function nestedValidation(fill: (item: string) => string, holds: string, message: string): TerraformVariableValidationConfig {
  return { condition: `\${alltrue(${fill(holds)})}`, errorMessage: `\${join("; ", ${fill(`"${message}" if !(${holds})`)})}` };
}
