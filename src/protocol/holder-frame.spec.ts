import fc from 'fast-check';
import { parseHolderFrame, MAX_REJECT_REASON } from './holder-frame.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = fc.uint8Array({ maxLength: 120 });
const noDot = fc.string({ unit: 'binary' }).map((text) => text.replaceAll('.', ''));

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
