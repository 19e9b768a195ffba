import { Aspects, Fn, IAspect, ref, TerraformLocal, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ConfigError } from './config-error';
import { countWhen, isLiteral } from './tokens';

/** The shape of an AWS region name (`us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`). */
export const REGION_NAME = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** How many of the region's zones are used when none are given (CDK's `maxAzs`). */
export const DEFAULT_MAX_AZS = 2;

/** Ids of the stack-level elements below (the module renames the data sources to `current`/`available`). */
export const REGION_IDS = {
  data: 'aws_region',
  attributes: 'aws_region_attributes',
  name: 'aws_region_name',
  zones: 'aws_availability_zones',
} as const;

/** The literal region of the stack's default (unaliased) AWS provider, if it has one. */
export function providerRegion(scope: IConstruct): string | undefined {
  const stack = TerraformStack.of(scope);
  for (const node of stack.node.findAll()) {
    if (!(node instanceof AwsProvider) || node.alias !== undefined) continue;
    const region = node.region;
    return typeof region === 'string' && isLiteral(region) ? region : undefined;
  }
  return undefined;
}

/**
 * The region resources of `scope` are created in, as the constructs use it: the prop when
 * given, else the stack's AWS provider's literal `region`, else `data "aws_region"` (which
 * the provider answers locally at plan, with no AWS call). A prop that differs from the
 * provider's literal region is refused naming `prop`: the provider decides where resources
 * go, so a different name would only put the wrong region into service names and ARNs.
 */
export function awsRegion(scope: IConstruct, given: string | undefined, prop = 'region'): string {
  if (given !== undefined && isLiteral(given) && !REGION_NAME.test(given)) {
    throw new ConfigError(prop, `"${given}" is not an AWS region name like us-east-1`);
  }
  const fromProvider = providerRegion(scope);
  if (given !== undefined && isLiteral(given)) {
    if (fromProvider !== undefined) checkSame(prop, given, fromProvider);
    // A provider added after this construct is checked at synth.
    else Aspects.of(TerraformStack.of(scope)).add(new LateProviderCheck(prop, given));
    return given;
  }
  if (given !== undefined) return given;
  return fromProvider ?? regionFromData(scope);
}

function checkSame(prop: string, given: string, fromProvider: string): void {
  if (given !== fromProvider) {
    throw new ConfigError(prop, `"${given}" but the stack's AWS provider is in ${fromProvider}; leave ${prop} out (it is read from the provider) or give the provider's region`);
  }
}

class LateProviderCheck implements IAspect {
  constructor(
    private readonly prop: string,
    private readonly given: string,
  ) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const fromProvider = providerRegion(node);
    if (fromProvider !== undefined) checkSame(this.prop, this.given, fromProvider);
  }
}

/**
 * The provider's region read from one `data "aws_region"` per stack. aws 6.x names it
 * `region` and deprecates `name`; 5.x has only `name`. Referenced directly, one of them is
 * an error on 5.x or a warning on 6.x; read from a local holding the whole object, `try`
 * takes `region` where it exists and `name` otherwise, and neither version sees a reference
 * to an attribute it lacks or deprecates.
 */
function regionFromData(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(REGION_IDS.name);
  if (existing instanceof TerraformLocal) return existing.asString;
  const data = new DataAwsRegion(stack, REGION_IDS.data, {});
  const attributes = new TerraformLocal(stack, REGION_IDS.attributes, `\${${data.fqn}}`);
  const name = new TerraformLocal(stack, REGION_IDS.name, `\${try(${attributes.fqn}.region, ${attributes.fqn}.name)}`);
  return name.asString;
}

/**
 * The first `maxAzs` availability zones of the provider's region, by name, from one
 * `data "aws_availability_zones"` (standard zones that need no opt-in: no Local or
 * Wavelength Zones). It calls EC2 at plan; give the zones to plan without AWS. With `when`
 * (a Terraform condition) the data source is read only when it holds, and the list is
 * empty otherwise.
 */
export function regionZones(scope: Construct, maxAzs: number, when?: boolean): string[] {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(REGION_IDS.zones);
  const data =
    existing instanceof DataAwsAvailabilityZones
      ? existing
      : new DataAwsAvailabilityZones(stack, REGION_IDS.zones, {
          ...(when !== undefined ? { count: countWhen(when) } : {}),
          state: 'available',
          filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
        });
  // Counted: `one(data...[*].names)`, null when not read.
  const names = when !== undefined ? Fn.one(ref(`data.${data.terraformResourceType}.${data.friendlyUniqueId}[*].names`, stack)) : data.names;
  const sorted = Fn.sort(Token.asList(names));
  const first = Fn.slice(sorted, 0, Fn.min([maxAzs, Fn.lengthOf(sorted)]));
  return Token.asList(when !== undefined ? Fn.try([first, []]) : first);
}
