import { ErrorCode } from '../protocol/error-codes.js';
import { admitSignRequest } from './sign-admission.js';

const limits = { maxMessageBytes: 16, signTimeoutMs: 100, maxSignTimeoutMs: 1000 };
const bytes = (text: string): Uint8Array => Buffer.from(text);

describe('admitSignRequest', () => {
  it('returns the default timeout, or the requested one within range', () => {
    expect(admitSignRequest(limits, bytes('hi'), {})).toBe(100);
    expect(admitSignRequest(limits, bytes(''), { timeoutMs: 1 })).toBe(1);
    expect(admitSignRequest(limits, bytes('1234567890123456'), { timeoutMs: 1000 })).toBe(1000);
  });

  it.each([
    ['a message over the limit', bytes('12345678901234567'), {}, ErrorCode.MessageTooLarge],
    ['the reserved prefix', bytes('sigsocket:'), {}, ErrorCode.InvalidRequest],
    ['timeoutMs 0', bytes('x'), { timeoutMs: 0 }, ErrorCode.InvalidRequest],
    ['timeoutMs above the maximum', bytes('x'), { timeoutMs: 1001 }, ErrorCode.InvalidRequest],
    ['a fractional timeoutMs', bytes('x'), { timeoutMs: 1.5 }, ErrorCode.InvalidRequest],
    ['a message that is not bytes', 'text' as unknown as Uint8Array, {}, ErrorCode.InvalidRequest],
  ])('refuses %s', (_, message, options, code) => {
    expect(() => admitSignRequest(limits, message, options)).toThrow(
      expect.objectContaining({ code }) as Error,
    );
  });
});
