/**
 * Suppressions the configuration carries itself: `#checkov:skip=ID:reason` in a resource's
 * HCL block (read from the module sources beside a plan), or the same ids under a resource's
 * `//` key in synthesized JSON (where this project's constructs write theirs). A scanner id
 * suppresses the rules that check the same thing (scanner-ids.ts `sameAs`) on that resource,
 * with the reason as written; they are reported as suppressed (SARIF `inSource`), never dropped.
 */
import { rulesSuppressedBy } from './scanner-ids';
import type { Suppression } from './suppressions';
import { TerraformGraph } from './terraform-graph';

/** Every suppression written in the configuration, as suppressions of this project's rules. */
export function inlineSuppressions(graph: TerraformGraph): Suppression[] {
  const out: Suppression[] = [];
  for (const resource of graph.resources) {
    for (const s of resource.suppressions ?? []) {
      const rules = new Set(s.ids.flatMap(rulesSuppressedBy));
      for (const id of rules) out.push({ id, resource: resource.address, reason: `${s.reason} [${s.ids.join(', ')}]`, source: s.source, inSource: true });
    }
  }
  return out;
}
