import { PlanJson } from '../../scripts/terraform-offline';

/** Planned creations per resource type, e.g. `{ aws_subnet: 2 }`. */
export function createdByType(plan: PlanJson): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const change of plan.resource_changes ?? []) {
    if (change.change.actions.includes('create')) counts[change.type] = (counts[change.type] ?? 0) + 1;
  }
  return counts;
}

/** Planned instances of a type (its `after` values). */
export function plannedOf(plan: PlanJson, type: string): Array<{ address: string; after: Record<string, unknown> }> {
  return (plan.resource_changes ?? [])
    .filter((c) => c.type === type && c.change.actions.includes('create'))
    .map((c) => ({ address: c.address, after: c.change.after ?? {} }));
}

interface ConfigResource {
  address: string;
  type: string;
  expressions?: Record<string, { references?: string[]; constant_value?: unknown }>;
}
interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, { module: ConfigModule }>;
}

/** A resource's configuration in the plan (expressions with their references), searched in every module. */
export function configuredResources(plan: PlanJson, type: string): ConfigResource[] {
  const found: ConfigResource[] = [];
  const walk = (module: ConfigModule | undefined) => {
    if (!module) return;
    for (const r of module.resources ?? []) if (r.type === type) found.push(r);
    for (const call of Object.values(module.module_calls ?? {})) walk(call.module);
  };
  walk((plan.configuration as { root_module?: ConfigModule } | undefined)?.root_module);
  return found;
}
