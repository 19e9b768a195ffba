import { Testing } from 'cdktf';
import { ModuleStack } from '../modules/stacks/module/module-stack';

/** The module's variable names, from an in-memory synth. */
export function synthModuleVariables(): string[] {
  const stack = new ModuleStack(Testing.app(), 'module');
  const json = JSON.parse(Testing.synth(stack, false)) as { variable?: Record<string, unknown> };
  return Object.keys(json.variable ?? {}).sort();
}
