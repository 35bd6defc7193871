import fc from 'fast-check';
import { decodeBase64, encodeBase64, hasCanonicalPadding, isStandardBase64 } from './base64.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const base64Char = fc.constantFrom(...ALPHABET.split(''));
/** Strings close to base64: alphabet letters, padding, URL-safe letters and whitespace. */
const nearBase64 = fc.string({ unit: fc.oneof(base64Char, fc.constantFrom('=', '-', '_', ' ', '\n')) });
const anyText = fc.oneof(fc.string({ unit: 'binary' }), nearBase64);

describe('base64', () => {
  test('encodes any bytes to standard base64 that decodes back to them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(isStandardBase64(text)).toBe(true);
        expect(decodeBase64(text)).toEqual(Buffer.from(bytes));
      }),
    );
  });

  test('says a standard base64 text has canonical padding exactly when it re-encodes to itself', () => {
    const standard = fc.uint8Array({ maxLength: 70 }).chain((bytes) => {
      const text = encodeBase64(bytes);
      // Any letter in the last data position: some leave padding bits set.
      const pads = text.endsWith('==') ? 3 : text.endsWith('=') ? 2 : 0;
      if (pads === 0) return fc.constant(text);
      return base64Char.map(
        (char) => text.slice(0, text.length - pads) + char + text.slice(text.length - pads + 1),
      );
    });
    fc.assert(
      fc.property(standard, (text) => {
        expect(isStandardBase64(text)).toBe(true);
        expect(hasCanonicalPadding(text)).toBe(Buffer.from(text, 'base64').toString('base64') === text);
      }),
    );
    expect([hasCanonicalPadding('aGk='), hasCanonicalPadding('aGl='), hasCanonicalPadding('')]).toEqual([
      true,
      false,
      true,
    ]);
  });

  test('encodes a view of a larger buffer without its neighbours', () => {
    const bytes = Uint8Array.from([1, 2, 3, 4, 5]).subarray(1, 3);
    expect(encodeBase64(bytes)).toBe(Buffer.from([2, 3]).toString('base64'));
  });

  test('never throws, and decodes exactly what it accepts the way Buffer does', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const decoded = decodeBase64(text);
        expect(decoded === null).toBe(!isStandardBase64(text));
        if (decoded !== null) expect(decoded).toEqual(Buffer.from(text, 'base64'));
      }),
    );
  });

  test('accepts every string that survives a Buffer round trip unchanged', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const canonical = Buffer.from(text, 'base64').toString('base64') === text;
        if (canonical) expect(isStandardBase64(text)).toBe(true);
      }),
    );
  });

  test('rejects any string with a letter outside the standard alphabet or padding', () => {
    fc.assert(
      fc.property(nearBase64, fc.constantFrom('-', '_', ' ', '\n', '.', 'é'), (text, bad) => {
        expect(isStandardBase64(`${text}${bad}`)).toBe(false);
        expect(isStandardBase64(`${bad}${text}`)).toBe(false);
      }),
    );
  });

  test('accepts exactly the strings of the RFC 4648 grammar', () => {
    const grammar = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
    const padded = fc
      .tuple(nearBase64, fc.constantFrom('', '=', '==', '==='))
      .map(([text, pad]) => text + pad);
    fc.assert(
      fc.property(fc.oneof(anyText, padded), (text) => {
        expect(isStandardBase64(text)).toBe(grammar.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  test('rejects lengths that are not a multiple of four and misplaced padding', () => {
    expect(['A', 'AB', 'ABC', 'ABCDE', 'A===', '=AAA', 'AA=A', 'AA==AAAA'].filter(isStandardBase64)).toEqual(
      [],
    );
  });

  test('accepts non-zero padding bits (lenient, RFC 4648 3.5 allows either)', () => {
    // "AB==" is not what Buffer would produce for [0x00] ("AA=="), but it decodes to the same byte.
    expect(decodeBase64('AB==')).toEqual(Buffer.from([0]));
  });
});
