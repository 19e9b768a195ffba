/**
 * The one error type for bad input to the constructs. Its message always names the
 * input (`props.path`) and what is allowed, so the app can print it without a stack
 * trace and users never see an error from deep inside CDKTF.
 */
export class ConfigError extends Error {
  /** The input that was rejected, e.g. `network.availabilityZones`. */
  public readonly input: string;
  /** What is wrong with it and what is allowed: the message after `<input>: `. */
  public readonly problem: string;

  constructor(input: string, problem: string) {
    super(`${input}: ${problem}`);
    this.name = 'ConfigError';
    this.input = input;
    this.problem = problem;
  }

  /** The same error placed under `prefix` (`code` inside `functions.api` is `functions.api.code`). */
  within(prefix: string): ConfigError {
    return new ConfigError(`${prefix}.${this.input}`, this.problem);
  }
}
