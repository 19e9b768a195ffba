import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LocalDynamoDb } from '../local/local-dynamodb';

// dynalite ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

/**
 * A DynamoDB outage that loses no data, as a real one does: one in-memory dynalite server
 * whose listener is closed (cutting connections in flight) and opened again on the same
 * port. `LocalDynamoDb` starts a new, empty server on restart, so what was written before
 * the outage could not be checked after it; the soak needs exactly that check.
 */
export class RestartableDynamoDb {
  private readonly server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  private portNumber = 0;
  private listening = false;

  /** Listens (on the same port after a stop). */
  async start(): Promise<string> {
    if (this.listening) return this.endpoint;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.portNumber, '127.0.0.1', () => {
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
    // dynalite's own close() also closes its store (the data would be gone); Node's close
    // only stops listening.
    const closed = new Promise<void>((resolve) => Server.prototype.close.call(this.server, () => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  /** A client for setup and assertions (not the function's own). */
  client(): DynamoDBClient {
    return new DynamoDBClient({ region: 'us-east-1', endpoint: this.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 });
  }

  /** The system's two tables, with the keys the constructs give them (same as `LocalDynamoDb`). */
  createSystemTables(products: string, userActivity: string): Promise<void> {
    return LocalDynamoDb.prototype.createSystemTables.call(this as unknown as LocalDynamoDb, products, userActivity);
  }
}
