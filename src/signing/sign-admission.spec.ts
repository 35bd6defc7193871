import { Subscriber } from 'rxjs';
import { ErrorCode } from '../protocol/error-codes.js';
import { PendingRequest, PendingRequests } from './pending-requests.js';
import { admitPending, admitSignRequest } from './sign-admission.js';

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
    ['a caller name with a space', bytes('x'), { caller: 'bad name' }, ErrorCode.InvalidRequest],
    ['a caller name over 32 characters', bytes('x'), { caller: 'a'.repeat(33) }, ErrorCode.InvalidRequest],
    ['a caller name with a newline', bytes('x'), { caller: 'alice\nforged' }, ErrorCode.InvalidRequest],
  ])('refuses %s', (_, message, options, code) => {
    expect(() => admitSignRequest(limits, message, options)).toThrow(
      expect.objectContaining({ code }) as Error,
    );
  });
});

describe('admitPending', () => {
  const pendingLimits = { maxPendingPerKey: 2, maxPendingPerCaller: 3 };
  const request = (caller: string, keyId: string, n: number): PendingRequest => ({
    caller,
    keyId,
    id: `${caller}-${n}`,
    message: bytes(`${n}`),
    deadline: 0,
    observer: new Subscriber(),
  });
  const admit = (pending: PendingRequests, caller: string, keyId: string): ErrorCode | 'ok' => {
    try {
      admitPending(pendingLimits, pending, caller, keyId);
      return 'ok';
    } catch (error) {
      return (error as { code: ErrorCode }).code;
    }
  };

  it('counts per (caller, key), so one caller cannot lock the others out of a holder', () => {
    const pending = new PendingRequests();
    pending.add(request('alice', 'k1', 1));
    pending.add(request('alice', 'k1', 2));
    expect(admit(pending, 'alice', 'k1')).toBe(ErrorCode.TooManyPending);
    expect(admit(pending, 'bob', 'k1')).toBe('ok');
    expect(admit(pending, 'alice', 'k2')).toBe('ok');
  });

  it('caps each caller over all keys', () => {
    const pending = new PendingRequests();
    const mine = [request('alice', 'k1', 1), request('alice', 'k2', 2), request('alice', 'k3', 3)];
    for (const r of mine) pending.add(r);
    expect(admit(pending, 'alice', 'k4')).toBe(ErrorCode.TooManyPending);
    expect(admit(pending, 'bob', 'k4')).toBe('ok');
    pending.remove(mine[1]);
    expect(admit(pending, 'alice', 'k4')).toBe('ok');
  });

  it('forgets a caller once nothing of theirs is pending', () => {
    const pending = new PendingRequests();
    const mine = [request('alice', 'k1', 1), request('alice', 'k1', 2), request('bob', 'k1', 3)];
    for (const r of mine) pending.add(r);
    expect([pending.countFromCaller('alice'), pending.countFromCaller('alice', 'k1')]).toEqual([2, 2]);
    expect(pending.remove(mine[0])).toBe(true);
    expect(pending.takeAll('k1')).toHaveLength(2);
    expect([pending.countFromCaller('alice'), pending.countFromCaller('bob', 'k1'), pending.size]).toEqual([
      0, 0, 0,
    ]);
  });
});
