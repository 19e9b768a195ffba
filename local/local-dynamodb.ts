import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

// The AWS SDK prints a NodeVersionSupportWarning on Node.js < 22 (its releases after the first
// week of January 2027 need 22; docs/development.md, Requirements). The pinned SDK runs on 20 and
// Lambda runs nodejs22.x: in tests and local runs the notice says nothing actionable. Set before
// any client exists (this module is imported by every local run, test, bench and soak).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// dynalite ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

/**
 * A DynamoDB-compatible server in this process (dynalite, in memory), on a loopback port.
 * Stopping it closes the listener and cuts connections in flight; starting it again listens
 * on the same port with the data intact, as after a real outage. That is how tests and the
 * soak take DynamoDB away from a running function and then check what it had stored.
 */
export class LocalDynamoDb {
  private readonly server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  private portNumber = 0;
  private listening = false;

  /** Listens (on `port`, a free one, or the previous one after a stop) and returns the endpoint URL. */
  async start(port = this.portNumber): Promise<string> {
    if (this.listening) return this.endpoint;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.listening = true;
    this.portNumber = (this.server.address() as AddressInfo).port;
    return this.endpoint;
  }

  /** Stops listening and cuts every open connection; the data stays. */
  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    // dynalite's own close() also closes its store (the data would be gone); Node's only stops listening.
    const closed = new Promise<void>((resolve) => Server.prototype.close.call(this.server, () => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** `http://127.0.0.1:<port>`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  /** A client for setup and assertions (not the function's own). */
  client(): DynamoDBClient {
    return new DynamoDBClient({ region: 'us-east-1', endpoint: this.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 });
  }

  /** Creates the system's two tables with the keys the constructs give them. */
  async createSystemTables(products: string, userActivity: string): Promise<void> {
    const client = this.client();
    await client.send(
      new CreateTableCommand({
        TableName: products,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    await client.send(
      new CreateTableCommand({
        TableName: userActivity,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'userId', AttributeType: 'S' },
          { AttributeName: 'timestamp', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'userId', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
      }),
    );
    client.destroy();
  }
}
