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
