import fc from 'fast-check';
import { isCanonicalKeyId, parsePublicKeyHex, toKeyId } from './public-key.js';

const hexOf = (bytes: number): fc.Arbitrary<string> =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const validKey = fc.oneof(
  fc.tuple(fc.constantFrom('02', '03'), hexOf(32)).map(([prefix, x]) => prefix + x),
  hexOf(64).map((xy) => `04${xy}`),
);
const space = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r'), maxLength: 4 });

describe('parsePublicKeyHex', () => {
  test('accepts valid keys in any letter case with surrounding whitespace', () => {
    fc.assert(
      fc.property(validKey, space, space, (hex, before, after) => {
        const parsed = parsePublicKeyHex(before + hex + after);
        expect(parsed).toEqual({ ok: true, bytes: Buffer.from(hex, 'hex') });
      }),
    );
    fc.assert(
      fc.property(
        validKey.chain((hex) => fc.mixedCase(fc.constant(hex))),
        space,
        (hex, pad) => {
          expect(parsePublicKeyHex(pad + hex + pad)).toEqual({ ok: true, bytes: Buffer.from(hex, 'hex') });
        },
      ),
    );
  });

  test('rejects a prefix that does not fit the length', () => {
    const prefix = fc.integer({ min: 0, max: 255 }).map((b) => b.toString(16).padStart(2, '0'));
    fc.assert(
      fc.property(prefix, hexOf(32), hexOf(64), (p, x, xy) => {
        if (p !== '02' && p !== '03') expect(parsePublicKeyHex(p + x).ok).toBe(false);
        if (p !== '04') expect(parsePublicKeyHex(p + xy).ok).toBe(false);
      }),
    );
  });

  test('rejects valid keys with a character dropped, added or replaced by a non-hex one', () => {
    fc.assert(
      fc.property(validKey, fc.nat(), fc.constantFrom('g', 'x', ' ', '.', 'é', '0'), (hex, at, extra) => {
        // Insert strictly inside the key: leading or trailing whitespace is trimmed by design.
        const i = 1 + (at % (hex.length - 1));
        expect(parsePublicKeyHex(hex.slice(0, i) + hex.slice(i + 1)).ok).toBe(false);
        expect(parsePublicKeyHex(hex.slice(0, i) + extra + hex.slice(i)).ok).toBe(false);
        if (extra !== '0')
          expect(parsePublicKeyHex(hex.slice(0, i) + extra + hex.slice(i + 1)).ok).toBe(false);
      }),
    );
  });

  test('never throws, and accepts only 33- or 65-byte SEC1 hex', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), validKey), (text) => {
        const parsed = parsePublicKeyHex(text);
        if (parsed.ok) expect([33, 65]).toContain(parsed.bytes.length);
        else expect(parsed.reason).toMatch(/hex/);
      }),
    );
  });
});

describe('toKeyId / isCanonicalKeyId', () => {
  test('the id of compressed bytes is lower-case hex and counts as canonical', () => {
    fc.assert(
      fc.property(fc.constantFrom(2, 3), fc.uint8Array({ minLength: 32, maxLength: 32 }), (prefix, x) => {
        const id = toKeyId(Uint8Array.from([prefix, ...x]));
        expect(id).toMatch(/^0[23][0-9a-f]{64}$/);
        expect(isCanonicalKeyId(id)).toBe(true);
        expect(isCanonicalKeyId(id.toUpperCase())).toBe(!/[a-f]/.test(id));
      }),
    );
  });
});
