import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '../..');

/** `npm run local`: the README's no-account demo must keep working on a fresh machine. */
test('npm run local: both bundled handlers answer 200 against local DynamoDB and PostgreSQL', async () => {
  const { stdout } = await promisify(execFile)(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'local', 'run.ts')], { cwd: root, env: { ...process.env, AWS_LAMBDA_LOG_LEVEL: 'FATAL' } });
  const lines = stdout.trim().split('\n');
  expect(lines.map((l) => l.slice(0, l.indexOf(':')))).toEqual(['products', 'user-activity']);
  const [products, activity] = lines.map((l) => JSON.parse(l.slice(l.indexOf(':') + 1)) as { statusCode: number; body: string });
  expect(products.statusCode).toBe(200);
  expect(JSON.parse(products.body)).toEqual({ message: 'Success', item: { id: 'p-100', name: 'Coffee grinder', price: 89.5 } });
  expect(activity.statusCode).toBe(200);
  expect(JSON.parse(activity.body).activity).toMatchObject({ userId: 'user-1', action: 'login' });
});
