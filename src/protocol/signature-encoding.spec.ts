import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import {
  CURVE_ORDER,
  isHighS,
  parseStrictDer,
  scalarsInRange,
  toCompactSignature,
} from './signature-encoding.js';

const N = BigInt(`0x${Buffer.from(CURVE_ORDER).toString('hex')}`);
const scalar = fc.bigInt({ min: 1n, max: N - 1n });
/** A DER INTEGER body of at most 32 bytes, positive, with no sign padding: to be broken on purpose. */
const bare = (value: bigint): Buffer => Buffer.from(value.toString(16).padStart(64, '0'), 'hex');

function minimal(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const body = Buffer.from(hex, 'hex');
  return body[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body;
}

const integer = (body: Buffer): Buffer => Buffer.concat([Buffer.from([0x02, body.length]), body]);
const sequence = (body: Buffer): Buffer => Buffer.concat([Buffer.from([0x30, body.length]), body]);
const der = (r: Buffer, s: Buffer): Buffer => sequence(Buffer.concat([integer(r), integer(s)]));
const compact = (r: bigint, s: bigint): Buffer => Buffer.concat([bare(r), bare(s)]);

/** Valid DER with one byte overwritten: close enough to reach every branch of the parser. */
const mutatedDer = fc
  .tuple(scalar, scalar, fc.nat(), fc.integer({ min: 0, max: 255 }))
  .map(([r, s, at, byte]) => {
    const bytes = der(minimal(r), minimal(s));
    bytes[at % bytes.length] = byte;
    return new Uint8Array(bytes);
  });

describe('parseStrictDer', () => {
  test('round-trips DER of any in-range r and s to compact r||s', () => {
    fc.assert(
      fc.property(scalar, scalar, (r, s) => {
        expect(parseStrictDer(der(minimal(r), minimal(s)))).toEqual(new Uint8Array(compact(r, s)));
      }),
    );
  });

  test('agrees with an independent signer on its DER and compact forms', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (message) => {
        const sk = secp256k1.utils.randomSecretKey();
        const fromDer = parseStrictDer(secp256k1.sign(message, sk, { format: 'der', lowS: false }));
        expect(fromDer).toEqual(secp256k1.sign(message, sk, { lowS: false }));
      }),
      { numRuns: 30 },
    );
  });

  test('rejects a superfluous leading zero byte', () => {
    fc.assert(
      fc.property(scalar, scalar, fc.boolean(), (r, s, padR) => {
        const zero = Buffer.from([0]);
        const [rb, sb] = [minimal(r), minimal(s)];
        const bad = padR ? der(Buffer.concat([zero, rb]), sb) : der(rb, Buffer.concat([zero, sb]));
        expect(parseStrictDer(bad)).toBeNull();
      }),
    );
  });

  test('rejects long-form lengths on the sequence or an integer', () => {
    fc.assert(
      fc.property(scalar, scalar, (r, s) => {
        const body = Buffer.concat([integer(minimal(r)), integer(minimal(s))]);
        expect(parseStrictDer(Buffer.concat([Buffer.from([0x30, 0x81, body.length]), body]))).toBeNull();
        const longR = Buffer.concat([Buffer.from([0x02, 0x81, minimal(r).length]), minimal(r)]);
        const longBody = Buffer.concat([longR, integer(minimal(s))]);
        expect(parseStrictDer(sequence(longBody))).toBeNull();
      }),
    );
  });

  test('rejects trailing bytes, inside or outside the sequence length', () => {
    fc.assert(
      fc.property(scalar, scalar, fc.uint8Array({ minLength: 1, maxLength: 8 }), (r, s, tail) => {
        const good = der(minimal(r), minimal(s));
        expect(parseStrictDer(Buffer.concat([good, tail]))).toBeNull();
        const inner = Buffer.concat([integer(minimal(r)), integer(minimal(s)), tail]);
        expect(parseStrictDer(sequence(inner))).toBeNull();
      }),
    );
  });

  test('rejects negative integers (high bit set without a zero pad)', () => {
    const high = fc.bigInt({ min: 1n << 255n, max: N - 1n });
    fc.assert(
      fc.property(high, scalar, fc.boolean(), (negative, other, onR) => {
        const bad = onR ? der(bare(negative), minimal(other)) : der(minimal(other), bare(negative));
        expect(parseStrictDer(bad)).toBeNull();
      }),
    );
  });

  test('never throws, and anything it accepts is 64 bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutatedDer), (bytes) => {
        const parsed = parseStrictDer(bytes);
        if (parsed !== null) expect(parsed).toHaveLength(64);
      }),
    );
  });
});

describe('toCompactSignature / scalarsInRange / isHighS', () => {
  test('reads 64 bytes as compact and other lengths as DER', () => {
    fc.assert(
      fc.property(scalar, scalar, (r, s) => {
        expect(toCompactSignature(compact(r, s))).toEqual(compact(r, s));
        expect(toCompactSignature(der(minimal(r), minimal(s)))).toEqual(new Uint8Array(compact(r, s)));
      }),
    );
  });

  test('a DER encoding that happens to be 64 bytes long is read as compact on the wire', () => {
    // Needs |r| + |s| = 58 bytes, roughly a 2^-48 chance or less for an honest signature; this is the cost
    // of accepting both encodings without a tag, and such a signature simply fails to verify.
    const r = (1n << 230n) + 1n;
    const encoded = der(minimal(r), minimal(r));
    expect(encoded).toHaveLength(64);
    expect(parseStrictDer(encoded)).toEqual(new Uint8Array(compact(r, r)));
    expect(toCompactSignature(encoded)).toBe(encoded);
  });

  test('range and S checks match their definitions', () => {
    const any = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
    fc.assert(
      fc.property(any, any, (r, s) => {
        expect(scalarsInRange(compact(r, s))).toBe(r >= 1n && r < N && s >= 1n && s < N);
        expect(isHighS(compact(r, s))).toBe(s > N / 2n);
      }),
    );
    expect(scalarsInRange(compact(N - 1n, N))).toBe(false);
    expect(isHighS(compact(1n, N / 2n + 1n))).toBe(true);
  });
});
