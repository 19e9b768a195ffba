import { Testing } from 'cdktf';
import { ConfigError } from '../../modules/private/config-error';
import { SYNTH_REJECTIONS } from '../support/rejected-inputs';
import { PlainIdStack } from '../../modules/stacks/plain-id-stack';
import { VpcLambdaDynamoDb } from '../../modules/constructs/vpc-lambda-dynamodb';
import { synthDeploy } from '../support/synth';

/** Each bad configuration, the input its error must name, and the words that say what is allowed. */
const cases = SYNTH_REJECTIONS;

describe('bad input is refused at synth with a message naming the input', () => {
  test.each(cases)('%s', (_name, config, message) => {
    let caught: unknown;
    try {
      synthDeploy(config);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain(message);
  });

  test('an unknown NAT mode is refused by the construct itself, not only by the config schema', () => {
    const stack = new PlainIdStack(Testing.app(), 'test');
    expect(
      () => new VpcLambdaDynamoDb(stack, 'system', { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'], natMode: 'gateway' as never }),
    ).toThrow('natMode: "gateway" is not a NAT mode; allowed: none, single, per-az');
  });
});
