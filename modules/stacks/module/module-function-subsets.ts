import { TerraformIterator, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';

/**
 * `local.<id>`: the entries of var.functions for which `condition` (HCL over `f`) holds. A
 * resource that exists only for the functions asking for it iterates over one of these, so its
 * keys come from var.functions alone and are known at plan.
 */
export function functionsWhere(scope: Construct, id: string, condition: string): TerraformLocal {
  return new TerraformLocal(scope, id, `\${{ for k, f in var.functions : k => f if ${condition} }}`);
}

/** A `for_each` over {@link functionsWhere}. */
export function eachFunctionWhere(scope: Construct, id: string, condition: string): TerraformIterator {
  return TerraformIterator.fromMap(functionsWhere(scope, id, condition).asAnyMap);
}
