/**
 * The markdown report's Mermaid diagram, rendered the way a reader sees it: by
 * @mermaid-js/mermaid-cli in the system Chromium (Debian's `chromium`). Skipped with the
 * reason when Chromium is absent, except under CI=true (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mermaidDiagram } from '../../analysis/markdown';
import { blocks, check, stack } from './fixtures';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MMDC = join(__dirname, '..', '..', 'node_modules', '.bin', 'mmdc');
const missing = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)` : !existsSync(MMDC) ? 'no mmdc (npm ci installs @mermaid-js/mermaid-cli)' : undefined;
if (missing && process.env.CI !== 'true') console.warn(`skipping the diagram render: ${missing}`);
const describeRender = missing && process.env.CI !== 'true' ? describe.skip : describe;

/** The default stack with `extra` more functions beside products, in the same subnets, group and role. */
function withFunctions(extra: number): ReturnType<typeof stack> {
  const json = stack();
  const functions = blocks(json, 'aws_lambda_function');
  const [name] = Object.keys(functions).filter((n) => /products/.test(n));
  for (let i = 1; i <= extra; i++) functions[`${name}_${i}`] = { ...structuredClone(functions[name]), function_name: `vpc-lambda-dynamodb-products-${i}` };
  return json;
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describeRender('the network diagram, rendered (mermaid-cli in Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vld-diagram-'));
  const render = (name: string, diagram: string) => {
    const input = join(dir, `${name}.mmd`);
    writeFileSync(input, diagram);
    writeFileSync(join(dir, 'puppeteer.json'), JSON.stringify({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] }));
    for (const ext of ['png', 'svg']) {
      const run = spawnSync(MMDC, ['-i', input, '-o', join(dir, `${name}.${ext}`), '-p', join(dir, 'puppeteer.json'), '-b', 'white'], { encoding: 'utf8', timeout: 90000 });
      expect([run.status, run.stderr.trim()]).toEqual([0, '']);
    }
    return { png: join(dir, `${name}.png`), svg: readFileSync(join(dir, `${name}.svg`), 'utf8') };
  };

  test('eight functions in one subnet frame: every name and status readable, the picture wider than tall', () => {
    const report = check(withFunctions(6));
    expect(report.reachability.functions).toHaveLength(8);
    const { png, svg } = render('eight', mermaidDiagram(report));
    for (const fn of report.reachability.functions) expect(svg).toContain(`λ ${fn.name}: OK`);
    expect(svg).toContain('DynamoDB gateway endpoint');
    const { width, height } = pngSize(png);
    // One frame of functions, routed left to right: not a tall tangle.
    expect(width).toBeGreaterThan(height);
  });

  test('a broken route table: its edge says BROKEN in words, drawn red', () => {
    const json = stack();
    const endpoint = Object.values(blocks(json, 'aws_vpc_endpoint')).find((e) => String(e.service_name).endsWith('.dynamodb'))!;
    endpoint.route_table_ids = [String(endpoint.route_table_ids).replace('[*].id', '[0].id')];
    const { svg } = render('broken', mermaidDiagram(check(json)));
    expect(svg).toContain('BROKEN: endpoint not on this route table');
    expect(svg).toMatch(/stroke:\s*#d00/);
  });
});
