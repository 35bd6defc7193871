import fc from 'fast-check';
import { parseHolderFrame, MAX_REJECT_REASON, withoutLineEnding } from './holder-frame.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = fc.uint8Array({ maxLength: 120 });
const noDot = fc.string({ unit: 'binary' }).map((text) => text.replaceAll('.', ''));
const lineEnding = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n');
const CONTROL_OR_LINE_SEPARATOR = /[\p{Cc}\u2028\u2029]/u;
/** Reasons rich in what must not pass: controls, ANSI escapes, line separators. */
const hostileReason = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('\r', '\n', '\u001b[31m', '\u2028', '\u2029', '\u0085', '\u0000', '\u007f', '\u009b'),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

describe('parseHolderFrame', () => {
  test('never throws on arbitrary unicode, and an error always carries a reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const frame = parseHolderFrame(text);
        if (frame.kind === 'error') expect(frame.reason.length).toBeGreaterThan(0);
        else if (frame.kind === 'response')
          expect(Buffer.from(frame.signature).toString('base64')).toBe(frame.signatureBase64);
        else expect([...frame.reason].length).toBeLessThanOrEqual(MAX_REJECT_REASON);
      }),
    );
  });

  test('round-trips <base64 message>.<base64 signature> for any bytes', () => {
    fc.assert(
      fc.property(bytes, fc.uint8Array({ minLength: 1, maxLength: 80 }), (message, signature) => {
        const frame = parseHolderFrame(`${b64(message)}.${b64(signature)}`);
        expect(frame).toEqual({
          kind: 'response',
          messageBase64: b64(message),
          signatureBase64: b64(signature),
          signature: Buffer.from(signature),
        });
      }),
    );
  });

  test('rejects frames without a dot', () => {
    fc.assert(
      fc.property(fc.oneof(noDot, bytes.map(b64)), (text) => {
        expect(parseHolderFrame(text).kind).toBe('error');
      }),
    );
  });

  test('rejects frames with two or more dots, even when every part is base64', () => {
    fc.assert(
      fc.property(fc.array(bytes, { minLength: 3, maxLength: 5 }), (parts) => {
        expect(parseHolderFrame(parts.map(b64).join('.')).kind).toBe('error');
      }),
    );
  });

  test('reads any frame with a trailing CR/LF as the same frame without it', () => {
    const frames = fc.oneof(
      fc.tuple(bytes, fc.uint8Array({ minLength: 1, maxLength: 80 })).map(([m, s]) => `${b64(m)}.${b64(s)}`),
      fc
        .tuple(bytes, fc.string())
        .map(([m, reason]) => JSON.stringify({ type: 'reject', message: b64(m), reason })),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(frames, lineEnding, (frame, ending) => {
        expect(parseHolderFrame(frame + ending)).toEqual(parseHolderFrame(withoutLineEnding(frame)));
      }),
    );
    expect(parseHolderFrame('AA==.AAAA\r\n')).toMatchObject({ kind: 'response', signatureBase64: 'AAAA' });
    expect(parseHolderFrame('AA==.AAAA\n \n').kind).toBe('error');
    expect(parseHolderFrame('AA==\n.AAAA').kind).toBe('error');
  });

  test('strips controls and line separators from a reason, then cuts it', () => {
    fc.assert(
      fc.property(bytes, hostileReason, (message, reason) => {
        const frame = parseHolderFrame(JSON.stringify({ type: 'reject', message: b64(message), reason }));
        expect(frame.kind).toBe('reject');
        if (frame.kind !== 'reject') return;
        expect(frame.reason).not.toMatch(CONTROL_OR_LINE_SEPARATOR);
        const kept = [...reason].filter((char) => !CONTROL_OR_LINE_SEPARATOR.test(char));
        expect(frame.reason).toBe(kept.slice(0, MAX_REJECT_REASON).join(''));
      }),
    );
    const ansi = JSON.stringify({ type: 'reject', message: 'AA==', reason: 'no\r\n\u001b[31mred\u2028!' });
    expect(parseHolderFrame(ansi)).toEqual({ kind: 'reject', messageBase64: 'AA==', reason: 'no[31mred!' });
  });

  test('reads an empty signature as a response (it then fails verification)', () => {
    expect(parseHolderFrame('AA==.')).toMatchObject({ kind: 'response', signatureBase64: '' });
  });

  test('rejects parts that are not standard base64', () => {
    fc.assert(
      fc.property(bytes, (message) => {
        expect(parseHolderFrame(`${b64(message)}.AA=`).kind).toBe('error');
        expect(parseHolderFrame(`${b64(message)}-.AAAA`).kind).toBe('error');
      }),
    );
  });
});
