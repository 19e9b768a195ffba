import { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

// dynalite ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => import('node:http').Server;

/**
 * A DynamoDB-compatible server in this process (dynalite, in memory), on a loopback port.
 * It can be stopped and started again on the same port, which is how tests take DynamoDB
 * away from a running function. Its data lives as long as the object (not across restarts).
 */
export class LocalDynamoDb {
  private server?: import('node:http').Server;
  private portNumber = 0;

  /** Starts the server (on `port`, or a free one) and returns its endpoint URL. */
  async start(port = this.portNumber): Promise<string> {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.portNumber = (server.address() as AddressInfo).port;
    return this.endpoint;
  }

  /** Stops the server; connections in flight are cut. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** `http://127.0.0.1:<port>`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  /** A client for setup and assertions (not the function's own). */
  client(): DynamoDBClient {
    return new DynamoDBClient({ region: 'us-east-1', endpoint: this.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
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
