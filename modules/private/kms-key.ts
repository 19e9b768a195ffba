import { ConfigError } from './config-error';
import { isLiteral } from './tokens';

/** Refuses a literal that is not a KMS key ARN (an alias or a bare key id would fail at apply); undefined and expressions pass. */
export function checkKmsKeyArn(input: string, arn: string | undefined): void {
  if (arn !== undefined && arn !== '' && isLiteral(arn) && !/^arn:aws[a-z-]*:kms:/.test(arn)) {
    throw new ConfigError(input, `"${arn}" is not a KMS key ARN (arn:aws:kms:...)`);
  }
}
