import fc from 'fast-check';

/** A raw HTTP request body and the content type it is sent with. */
export interface FuzzBody {
  readonly kind: string;
  readonly contentType: string;
  readonly body: string;
}

const JSON_TYPE = 'application/json';
const WRONG_TYPES = [
  'text/plain',
  'text/html',
  'application/xml',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin-9',
  'application/json-patch+json',
];

const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: length, maxLength: length });
/** Keys of the right shape that no test holder owns, or no point at all. */
const strangerKey = fc.oneof(
  fc.tuple(fc.constantFrom('02', '03', '04', '05', ''), hex(64)).map(([prefix, x]) => prefix + x),
  fc.string(),
  fc.jsonValue(),
);
const nearlyValid = fc.record(
  {
    publicKey: strangerKey,
    message: fc.oneof(fc.base64String(), fc.string(), fc.jsonValue()),
    timeoutMs: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.jsonValue()),
  },
  { requiredKeys: [] },
);

/**
 * Bodies `POST /sign` must refuse with a 4xx JSON error: arbitrary JSON, nearly valid requests
 * for keys nobody holds, truncated and malformed JSON text, and JSON under the wrong content type.
 */
export function sampleFuzzBodies(count: number): FuzzBody[] {
  const share = Math.ceil(count / 6);
  const json = (kind: string, values: unknown[], contentType = JSON_TYPE): FuzzBody[] =>
    values.map((value) => ({ kind, contentType, body: JSON.stringify(value) ?? 'null' }));
  const bodies = [
    { kind: 'deep nesting', contentType: JSON_TYPE, body: '['.repeat(40_000) + ']'.repeat(40_000) },
    { kind: 'deep nesting', contentType: JSON_TYPE, body: '{"a":'.repeat(17_000) },
    { kind: 'over the body limit', contentType: JSON_TYPE, body: `{"message":"${'A'.repeat(120_000)}"}` },
    ...json('prototype keys', [
      JSON.parse('{"__proto__":{"publicKey":"02aa","message":"AA=="}}'),
      JSON.parse('{"constructor":{"prototype":{"polluted":1}},"message":"AA=="}'),
    ]),
    ...json('json value', fc.sample(fc.jsonValue(), share)),
    ...json('nearly valid', fc.sample(nearlyValid, share)),
    ...fc.sample(fc.json(), share).map((text) => ({
      kind: 'truncated json',
      contentType: JSON_TYPE,
      body: text.slice(0, Math.max(0, text.length - 1 - (text.length % 7))),
    })),
    ...fc.sample(fc.string({ unit: 'binary', maxLength: 200 }), share).map((text) => ({
      kind: 'malformed json',
      contentType: JSON_TYPE,
      body: `{${text}`,
    })),
    ...fc
      .sample(fc.tuple(fc.constantFrom(...WRONG_TYPES), fc.oneof(fc.json(), fc.string())), share)
      .map(([contentType, body]) => ({ kind: 'wrong content type', contentType, body })),
  ];
  return bodies.slice(0, count);
}
