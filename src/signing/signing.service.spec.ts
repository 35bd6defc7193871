import { callerLabels, KEY, outcomes, setUpSigning } from '../../test/support/signing-setup.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';

describe('SigningService', () => {
  it('fails the caller and keeps nothing pending when sending to the holder throws', async () => {
    const { signing, metrics } = setUpSigning(
      {
        send: () => {
          throw new Error('socket not open');
        },
      },
      () => true,
    );
    await expect(signing.sendToSign(KEY, Buffer.from('hi'), { timeoutMs: 50 })).rejects.toThrow(
      'socket not open',
    );
    expect(signing.pendingCount()).toBe(0);
    expect(await outcomes(metrics, ErrorCode.Internal)).toBe(1);
  });

  it('still times out, once, when settling an answer throws', async () => {
    const { signing, metrics, respond } = setUpSigning({}, () => {
      throw new Error('verifier failed');
    });
    const result = signing.sendToSign(KEY, Buffer.from('hi'), { timeoutMs: 30 });
    expect(() => respond(Buffer.from('hi').toString('base64'))).toThrow('verifier failed');
    expect(signing.pendingCount()).toBe(0);
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigSocketError);
    expect((error as SigSocketError).code).toBe(ErrorCode.Timeout);
    expect(await outcomes(metrics, ErrorCode.Timeout)).toBe(1);
  });

  it('answers with the verified signature and cancels the timeout', async () => {
    const { signing, metrics, respond } = setUpSigning({}, () => true);
    const message = Buffer.from('hi');
    const result = signing.sendToSign(KEY, message, { timeoutMs: 30 });
    respond(message.toString('base64'));
    await expect(result).resolves.toMatchObject({ publicKey: KEY, signatureBase64: 'AA==' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await outcomes(metrics, 'ok')).toBe(1);
    expect(await outcomes(metrics, ErrorCode.Timeout)).toBe(0);
  });

  describe('callers', () => {
    const apiKeys = [`alice=${'a'.repeat(16)}`, 'b'.repeat(16)];

    it('labels configured names, anonymous and in-process, and any other in-process name as in-process', async () => {
      const { signing, metrics, respond } = setUpSigning({}, () => true, { apiKeys });
      const sign = async (text: string, caller?: string): Promise<void> => {
        const result = signing.sendToSign(KEY, Buffer.from(text), { timeoutMs: 1000, caller });
        respond(Buffer.from(text).toString('base64'));
        await result;
      };
      await sign('1', 'alice');
      await sign('2', 'key2');
      await sign('3', 'anonymous');
      await sign('4');
      await sign('5', 'nightly-batch');
      expect(await callerLabels(metrics)).toEqual(['alice', 'anonymous', 'in-process', 'key2']);
      for (const caller of ['alice', 'key2', 'anonymous'])
        expect(await outcomes(metrics, 'ok', caller)).toBe(1);
      expect(await outcomes(metrics, 'ok', 'in-process')).toBe(2);
    });

    it('refuses a caller name outside the pattern, and counts it as in-process', async () => {
      const { signing, metrics } = setUpSigning({}, () => true, { apiKeys });
      for (const caller of ['', 'has space', 'x'.repeat(33), 'new\nline', '9lives']) {
        await expect(signing.sendToSign(KEY, Buffer.from('hi'), { caller })).rejects.toMatchObject({
          code: ErrorCode.InvalidRequest,
        });
      }
      expect(await outcomes(metrics, ErrorCode.InvalidRequest, 'in-process')).toBe(5);
      expect(await callerLabels(metrics)).toEqual(['alice', 'anonymous', 'in-process', 'key2']);
    });

    it('holds each caller to its own share of a key, and to its total', async () => {
      const { signing } = setUpSigning({}, () => true, { maxPendingPerKey: 2, maxPendingPerCaller: 3 });
      const results = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((text) =>
        signing
          .sendToSign(KEY, Buffer.from(text), {
            timeoutMs: 30,
            caller: text.startsWith('a') ? 'alice' : 'bob',
          })
          .catch((error: SigSocketError) => error.code),
      );
      expect(await Promise.all(results)).toEqual([
        ErrorCode.Timeout,
        ErrorCode.Timeout,
        ErrorCode.TooManyPending,
        ErrorCode.Timeout,
        ErrorCode.Timeout,
        ErrorCode.TooManyPending,
      ]);
    });
  });

  it('scopes idempotency keys per caller; a request without one is the in-process caller', async () => {
    const frames: string[] = [];
    const { signing, respond } = setUpSigning({ send: (frame) => void frames.push(frame) }, () => true);
    const options = (caller?: string) => ({ idempotencyKey: 'k', caller, timeoutMs: 1000 });
    const alice = signing.sendToSign(KEY, Buffer.from('one'), options('alice'));
    const bob = signing.sendToSign(KEY, Buffer.from('two'), options('bob'));
    const local = signing.sendToSign(KEY, Buffer.from('three'), options());
    expect(frames).toHaveLength(3);
    await expect(signing.sendToSign(KEY, Buffer.from('four'), options('in-process'))).rejects.toMatchObject({
      code: ErrorCode.IdempotencyConflict,
    });
    for (const frame of frames) respond(frame);
    await Promise.all([alice, bob, local]);
    await expect(signing.sendToSign(KEY, Buffer.from('one'), options('alice'))).resolves.toMatchObject({
      signatureBase64: 'AA==',
    });
    expect(frames).toHaveLength(3);
  });
});
