import { TerraformResource } from 'cdktf';
import { ConfigError } from './config-error';
import { isLiteral } from './tokens';
import { suppressScannerRules } from './scanner-suppressions';

/** The retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Rejects a retention CloudWatch would refuse at apply. "Never expire" (0) is refused too:
 * logs that are never deleted are a cost nobody chose.
 */
export function validateLogRetention(input: string, days: number): void {
  if (!isLiteral(days)) return;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new ConfigError(input, `${days} days is not a CloudWatch Logs retention; allowed: ${LOG_RETENTION_DAYS.join(', ')}`);
  }
}

/**
 * The scanner rules a log group of this project may deliberately not follow: a key of yours
 * (unless one is given) and a year of retention (unless at least that is kept). Unknown at
 * synth (a module variable): both are written, their reasons say how to opt in.
 */
export function suppressLogGroupRules(group: TerraformResource, retentionDays: number, kmsKeyArn: string | undefined): void {
  if (kmsKeyArn === undefined || !isLiteral(kmsKeyArn)) suppressScannerRules(group, 'logGroupKms');
  if (!isLiteral(retentionDays) || retentionDays < 365) suppressScannerRules(group, 'logGroupYearRetention');
}
