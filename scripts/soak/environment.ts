/**
 * The soak's world: the local servers, the tables, the bundled functions required once (one
 * warm container each), and the watchers (unhandled rejections, PostgreSQL connections).
 */
import { join } from 'node:path';
import { AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Client } from 'pg';
import { bundleAll } from '../../functions/bundle';
import { LocalPostgres } from '../../local/local-postgres';
import { SoakFunction } from '../malformed-events';
import { LocalDynamoDb } from '../../local/local-dynamodb';

export type { SoakFunction } from '../malformed-events';

export type LambdaResponse = { statusCode: number; body: string };
export type LambdaHandler = (event: unknown, context?: object) => Promise<LambdaResponse>;

export const PRODUCTS_TABLE = 'products';
export const USER_ACTIVITY_TABLE = 'user-activity';
/** The application_name the function's connection carries (functions/user-activity/handler.ts). */
const APPLICATION_NAME = 'user-activity';
/** Connections one container may hold: PostgresConnection keeps exactly one. */
export const CONFIGURED_POOL = 1;

// ---------------------------------------------------------------------------------------------
// Watching: unhandled rejections, and the function's PostgreSQL connections.

/** Collects unhandled rejections (and, when asked, uncaught exceptions and process warnings). */
export class FailureTracker {
  readonly unhandled: string[] = [];
  readonly warnings: string[] = [];
  private readonly onRejection = (reason: unknown) => this.unhandled.push(`unhandled rejection: ${describeError(reason)}`);
  private readonly onException = (error: unknown) => this.unhandled.push(`uncaught exception: ${describeError(error)}`);
  private readonly onWarning = (warning: Error) => {
    const line = `${warning.name}: ${warning.message.split('\n')[0]}`;
    if (!this.warnings.includes(line)) this.warnings.push(line);
  };

  constructor(private readonly catchExceptions: boolean) {
    process.on('unhandledRejection', this.onRejection);
    process.on('warning', this.onWarning);
    if (catchExceptions) process.on('uncaughtException', this.onException);
  }

  dispose(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('warning', this.onWarning);
    if (this.catchExceptions) process.off('uncaughtException', this.onException);
  }
}

/** One line for an error or any thrown value. */
export function describeError(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}

/**
 * Samples how many connections the server sees from the function (by application_name)
 * every `intervalMs`, on its own admin connection, surviving the server's own outages.
 */
export class ConnectionMonitor {
  private admin?: Client;
  private timer?: NodeJS.Timeout;
  private busy = false;
  private max = 0;
  samples = 0;

  constructor(
    private readonly postgres: LocalPostgres,
    private readonly intervalMs = 25,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  /** The most connections seen since the last call, and starts a new window. */
  takeMax(): number {
    const max = this.max;
    this.max = 0;
    return max;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    await this.admin?.end().catch(() => undefined);
    this.admin = undefined;
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (!this.admin) {
        const admin = await this.postgres.admin();
        admin.on('error', () => {
          if (this.admin === admin) this.admin = undefined;
        });
        this.admin = admin;
      }
      const { rows } = await this.admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [APPLICATION_NAME]);
      this.max = Math.max(this.max, rows[0].n as number);
      this.samples += 1;
    } catch {
      // The server is down (an outage phase): try again on the next tick.
      const admin = this.admin;
      this.admin = undefined;
      await admin?.end().catch(() => undefined);
    } finally {
      this.busy = false;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The environment: servers, tables, the bundled functions.

/** Servers, tables and one required bundle per function. */
export class SoakEnvironment {
  readonly dynamodb = new LocalDynamoDb();
  readonly postgres = new LocalPostgres();
  readonly monitor = new ConnectionMonitor(this.postgres);
  handlers!: Record<SoakFunction, LambdaHandler>;
  private closeDatabase?: () => Promise<void>;
  private nextUser = 0;
  private readonly scanner: () => DynamoDBClient;

  private constructor() {
    let client: DynamoDBClient | undefined;
    this.scanner = () => (client ??= this.dynamodb.client());
  }

  /** Starts both servers, creates the tables, bundles and requires both functions. */
  static async start(): Promise<SoakEnvironment> {
    // Node 20 here, nodejs22.x on Lambda: the SDK's notice about older Node is noise.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const env = new SoakEnvironment();
    await Promise.all([env.dynamodb.start(), env.postgres.start()]);
    await env.dynamodb.createSystemTables(PRODUCTS_TABLE, USER_ACTIVITY_TABLE);
    await env.postgres.seedUsers([]);
    Object.assign(process.env, {
      PRODUCTS_TABLE,
      USER_ACTIVITY_TABLE,
      DYNAMODB_ENDPOINT: env.dynamodb.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_LOG_LEVEL: process.env.SOAK_LOG_LEVEL ?? 'FATAL',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env.postgres.functionEnvironment(),
    });
    const bundles = bundleAll();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const products = require(join(bundles.products.dir, 'index.js')) as { handler: LambdaHandler };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const userActivity = require(join(bundles['user-activity'].dir, 'index.js')) as { handler: LambdaHandler; database: { close(): Promise<void> } };
    env.handlers = { products: products.handler, 'user-activity': userActivity.handler };
    env.closeDatabase = () => userActivity.database.close();
    env.monitor.start();
    return env;
  }

  async stop(): Promise<void> {
    await this.monitor.stop();
    await this.closeDatabase?.().catch(() => undefined);
    await this.dynamodb.stop().catch(() => undefined);
    await this.postgres.destroy().catch(() => undefined);
  }

  /** Seeds `count` users with fresh ids and returns the first index. */
  async seedUsers(count: number): Promise<number> {
    const first = this.nextUser;
    this.nextUser += count;
    const admin = await this.postgres.admin();
    try {
      await admin.query("INSERT INTO users (id, name, email) SELECT 'u-' || g, 'User ' || g, 'u' || g || '@example.com' FROM generate_series($1::int, $2::int) g", [first, first + count - 1]);
    } finally {
      await admin.end();
    }
    return first;
  }

  /** Every item of a table (all pages), as plain strings of the listed attributes. */
  async scan(table: string, attributes: string[]): Promise<Array<Record<string, string>>> {
    const items: Array<Record<string, string>> = [];
    let start: Record<string, AttributeValue> | undefined;
    const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
    do {
      const page = await this.scanner().send(
        new ScanCommand({ TableName: table, ExclusiveStartKey: start, ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names }),
      );
      for (const item of page.Items ?? []) items.push(Object.fromEntries(attributes.map((a) => [a, item[a]?.S ?? item[a]?.N ?? ''])));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Item count of both tables. */
  async itemCounts(): Promise<{ products: number; userActivity: number }> {
    const count = async (table: string) => {
      let total = 0;
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.scanner().send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }));
        total += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return total;
    };
    return { products: await count(PRODUCTS_TABLE), userActivity: await count(USER_ACTIVITY_TABLE) };
  }
}

