/**
 * Malformed events for the soak: every one must be refused with a 4xx and write nothing.
 * Deterministic (no randomness), so a failure names an event that can be replayed.
 * Each field-level case is delivered two ways: as a direct invocation event and as the JSON
 * body of a function URL / API Gateway proxy event; whole-event and body-level garbage is added.
 */

export interface MalformedEvent {
  readonly label: string;
  readonly event: unknown;
}

export type SoakFunction = 'products' | 'user-activity';

const KB = 1024;

/** Nested garbage: objects and arrays `depth` levels deep. */
function nested(depth: number, leaf: unknown = 'x'): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value, b: [value === leaf ? 1 : null] } : [value];
  return value;
}

/** Values of the wrong type for any field (JSON-representable or what a direct invocation could carry). */
const WRONG_TYPES: Array<[string, unknown]> = [
  ['null', null],
  ['zero', 0],
  ['negative number', -1],
  ['float', 1.5],
  ['true', true],
  ['false', false],
  ['empty array', []],
  ['array of strings', ['a', 'b']],
  ['empty object', {}],
  ['object', { S: 'typed-attribute' }],
  ['nested garbage 3', nested(3)],
  ['nested garbage 50', nested(50)],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
];

/** Strings that no string field accepts. */
const BAD_STRINGS = (max: number): Array<[string, unknown]> => [
  ['empty string', ''],
  ['whitespace only', ' \t\n '],
  ['unicode whitespace only', '\u00a0\u2003\u3000'],
  [`${max + 1} characters`, 'a'.repeat(max + 1)],
  [`${max + 1} unicode characters`, 'ü'.repeat(max + 1)],
  ['huge string 64 KB', 'x'.repeat(64 * KB)],
  ['huge unicode string 300 KB', '東京☕'.repeat(100 * KB)],
  ['huge string 2 MB', 'y'.repeat(2 * KB * KB)],
];

/** Numbers (and non-numbers) no price accepts. */
const BAD_PRICES: Array<[string, unknown]> = [
  ['negative price', -0.01],
  ['price over the bound', 1_000_000_001],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['numeric string', '99.99'],
  ['unicode string', '九十九'],
  ['emoji string', '💰'],
  ['huge string', '9'.repeat(100 * KB)],
  ['1e309 as a string', '1e309'],
];

/** Actions the user-activity schema refuses (lowercase, digits . _ -, starting with a letter, ≤ 64). */
const BAD_ACTIONS: Array<[string, unknown]> = [
  ['empty action', ''],
  ['uppercase action', 'LOGIN'],
  ['action with spaces', 'drop table'],
  ['SQL-looking action', "login'; DROP TABLE users; --"],
  ['action starting with a digit', '1login'],
  ['unicode action', 'ログイン'],
  ['emoji action', 'login🔥'],
  ['65-character action', 'a'.repeat(65)],
  ['action with a newline', 'login\n'],
  ['action with a NUL', 'log\u0000in'],
  ['lone surrogate action', 'login\ud800'],
  ['huge action', 'a'.repeat(1024 * KB)],
];

/** Body strings that are not the JSON of an object. */
const BAD_BODIES: Array<[string, unknown]> = [
  ['truncated JSON body', '{"id": "a", "name": '],
  ['single-quoted body', "{'id': 'a'}"],
  ['XML body', '<product id="1"/>'],
  ['empty body', ''],
  ['whitespace body', '   '],
  ['"undefined" body', 'undefined'],
  ['NaN body', 'NaN'],
  ['null JSON body', 'null'],
  ['array JSON body', '[]'],
  ['string JSON body', '"hello"'],
  ['number JSON body', '123'],
  ['true JSON body', 'true'],
  ['NUL bytes body', '\u0000\u0000'],
  ['lone surrogate body', '\ud800'],
  ['emoji body', '🙂🙃'],
  ['deeply nested JSON body (5000)', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ['huge non-JSON body 1 MB', 'z'.repeat(1024 * KB)],
  ['JSON with trailing garbage', '{"id":"a"} trailing'],
  ['body as an object, not a string', { id: 'a', name: 'b', price: 1 }],
  ['body as a number', 42],
  ['body null', null],
  ['base64 flag with garbage', { base64: true, body: '!!!not base64!!!' }],
  ['base64 of non-JSON', { base64: true, body: Buffer.from('not json at all').toString('base64') }],
];

function proxy(body: unknown, isBase64Encoded = false): object {
  return { version: '2.0', rawPath: '/', headers: { 'content-type': 'application/json' }, requestContext: { http: { method: 'POST' } }, body, isBase64Encoded };
}

/** Both deliveries of one field-level case. */
function bothWays(label: string, value: Record<string, unknown>): MalformedEvent[] {
  return [
    { label: `${label} (direct)`, event: value },
    { label: `${label} (proxy body)`, event: proxy(JSON.stringify(value)) },
  ];
}

/**
 * At least `minimum` malformed events for `fn`. `valid` is a well-formed input (unique per
 * event via `unique(i)`), so an event that was wrongly accepted would write a findable item.
 */
export function malformedEvents(fn: SoakFunction, unique: (i: number) => Record<string, unknown>, minimum = 200): MalformedEvent[] {
  const events: MalformedEvent[] = [];
  let n = 0;
  const valid = () => unique(n++);
  const fields: Array<[string, Array<[string, unknown]>, boolean]> =
    fn === 'products'
      ? [
          ['id', [...WRONG_TYPES, ...BAD_STRINGS(256)], true],
          ['name', [...WRONG_TYPES, ...BAD_STRINGS(1024)], true],
          // 0 and 1.5 are wrong for a string field but fine prices.
          ['price', [...WRONG_TYPES.filter(([, v]) => !(typeof v === 'number' && v >= 0 && Number.isFinite(v))), ...BAD_PRICES], true],
        ]
      : [
          ['userId', [...WRONG_TYPES, ...BAD_STRINGS(128)], true],
          ['action', [...WRONG_TYPES, ...BAD_ACTIONS], false],
        ];

  for (const [field, values] of fields) {
    for (const [what, bad] of values) {
      // JSON drops a field whose value is undefined: the proxy copy of NaN/Infinity becomes null, still wrong.
      events.push(...bothWays(`${field}: ${what}`, { ...valid(), [field]: bad }));
    }
  }
  // Missing fields (required ones only: a missing optional field is valid).
  for (const [field, , required] of fields) {
    if (!required) continue;
    const v = valid();
    delete v[field];
    events.push(...bothWays(`missing ${field}`, v));
  }
  events.push(...bothWays('all fields missing', {}));
  // Unknown fields: the schemas are strict.
  events.push(...bothWays('extra field', { ...valid(), extra: 'x' }));
  events.push(...bothWays('extra nested garbage field', { ...valid(), garbage: nested(20) }));
  events.push(...bothWays('extra "constructor" field', { ...valid(), constructor: { prototype: { polluted: true } } }));
  events.push({ label: '"__proto__" key in the JSON body', event: proxy(JSON.stringify(valid()).replace(/^\{/, '{"__proto__":{"polluted":true},')) });
  events.push({ label: 'DynamoDB-typed input', event: Object.fromEntries(Object.entries(valid()).map(([k, v]) => [k, typeof v === 'number' ? { N: String(v) } : { S: v }])) });
  events.push({ label: 'fields differing only in case', event: Object.fromEntries(Object.entries(valid()).map(([k, v]) => [k.toUpperCase(), v])) });

  // Whole events that are not objects.
  const wholes: Array<[string, unknown]> = [
    ['null event', null],
    ['undefined event', undefined],
    ['number event', 42],
    ['NaN event', Number.NaN],
    ['string event', 'hello'],
    ['JSON string event (not parsed)', JSON.stringify(valid())],
    ['boolean event', true],
    ['empty array event', []],
    ['array of a valid input', [valid()]],
    ['array of arrays', [[valid()], [[]]]],
    ['nested garbage event (200 deep)', nested(200)],
    ['unicode-keyed event', { 'ключ': 'значение', '鍵': '値', '🔑': '🔒' }],
  ];
  for (const [label, event] of wholes) events.push({ label, event });

  // Proxy events whose body is wrong.
  for (const [label, body] of BAD_BODIES) {
    const b = body as { base64?: boolean; body?: string };
    events.push({ label, event: b && typeof b === 'object' && b.base64 ? proxy(b.body, true) : proxy(body) });
  }
  events.push({ label: 'proxy event without a body', event: { requestContext: { http: { method: 'GET' } } } });
  events.push({ label: 'proxy event with a valid input next to an absent body', event: { requestContext: {}, ...valid() } });

  // Top up to the minimum with more wrong-typed combinations across fields.
  let round = 0;
  while (events.length < minimum) {
    const [field] = fields[round % fields.length];
    const [what, bad] = WRONG_TYPES[Math.floor(round / fields.length) % WRONG_TYPES.length];
    events.push({ label: `${field}: ${what} inside an array (${round})`, event: proxy(JSON.stringify({ ...valid(), [field]: [bad] })) });
    round += 1;
  }
  return events;
}
