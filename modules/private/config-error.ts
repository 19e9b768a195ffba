/**
 * The one error type for bad input to the constructs. Its message always names the
 * input (`props.path`) and what is allowed, so the app can print it without a stack
 * trace and users never see an error from deep inside CDKTF.
 */
export class ConfigError extends Error {
  /** The input that was rejected, e.g. `network.availabilityZones`. */
  public readonly input: string;

  constructor(input: string, problem: string) {
    super(`${input}: ${problem}`);
    this.name = 'ConfigError';
    this.input = input;
  }
}
