import { TerraformElement, TerraformStack } from 'cdktf';
import { Construct, Node } from 'constructs';
import { checkFramework } from '../private/framework';

/**
 * A stack whose Terraform addresses read like hand-written ones: the construct path
 * joined with `_` (`aws_subnet.network_private`), not CDKTF's default path plus hash.
 * Stable, readable addresses matter because users see them in every `terraform plan`
 * and in `moved` blocks; construct ids are chosen so the paths stay unique.
 */
export class PlainIdStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // This stack is cdktf's; under a cdktn App it would fail deep inside synth.
    checkFramework(this, new.target.name);
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const path = element instanceof Node ? element.path : element.node.path;
    const parts = path.split('/').slice(1); // drop the stack's own id
    return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  }
}
