import { bin, mainLoaded as main } from '../../scripts/check';

/**
 * `npm run check -- <args>` in this process (the spawned CLI is tested in cli.test.ts): its
 * exit code, stdout, and stderr, which holds both console.error lines and commander's own
 * messages about bad flags (written straight to process.stderr).
 */
export function runCheck(args: string[]): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const errors: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(`${parts.join(' ')}\n`));
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errors.push(String(chunk));
    return true;
  });
  try {
    return { code: main(['node', 'check', ...args]), stdout: out.join('\n'), stderr: errors.join('').trim() };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

/**
 * The installed package's bin (`vpc-lambda-dynamodb <args>`) in this process: what
 * bin/vpc-lambda-dynamodb.js runs from lib/. stdout holds console.log and direct writes.
 */
export async function runBin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const errors: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(`${parts.join(' ')}\n`));
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(`${parts.join(' ')}\n`));
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const writeError = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errors.push(String(chunk));
    return true;
  });
  try {
    const code = await bin(args);
    return { code, stdout: out.join(''), stderr: errors.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    writeError.mockRestore();
  }
}
