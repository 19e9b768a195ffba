/**
 * Running `verify` in the test process against the fake account (fake-aws-account.ts): each
 * test gets a fresh seed account, the AWS environment is only the fake's (no profile, no
 * config file, the SDK's Node notice off), and `runVerify` captures what the CLI prints.
 */
import { verifyMain } from '../../scripts/verify';
import { FakeAccount, FakeAwsAccount, seedAccount, startFakeAwsAccount } from './fake-aws-account';

/** The seed system's two functions, and the flags that name both. */
export const SEED_FUNCTIONS = ['vpc-lambda-dynamodb-products', 'vpc-lambda-dynamodb-user-activity'];
export const BOTH_FUNCTIONS = SEED_FUNCTIONS.flatMap((f) => ['--function', f]);

/** A fresh fake account per test (beforeEach/afterEach), with the environment pointing at it; read it through the getter. */
export function useFakeAccount(account: () => FakeAccount = seedAccount): () => FakeAwsAccount {
  const saved = { ...process.env };
  let fake: FakeAwsAccount;
  beforeEach(async () => {
    fake = await startFakeAwsAccount(account());
    for (const k of Object.keys(process.env)) if (/^AWS_/.test(k)) delete process.env[k];
    Object.assign(process.env, { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE', AWS_SECRET_ACCESS_KEY: 'fake', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  });
  afterEach(async () => {
    await fake.stop();
    process.env = { ...saved };
  });
  return () => fake;
}

/** Runs verify in this process; its exit code, stdout and stderr. */
export async function runVerify(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await verifyMain(['node', 'verify', ...args]);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
