import { KEY, outcomes, setUpSigning } from '../../test/support/signing-setup.js';
import type { V1Session } from '../gateway/v1-holder-link.js';
import { ErrorCode } from '../protocol/error-codes.js';

describe('SigningService: backpressure', () => {
  const message = Buffer.from('hello');
  const frameBytes = message.toString('base64').length;

  it('refuses a request with holder_busy while the holder has more queued than its limit', async () => {
    const frames: string[] = [];
    const { signing, metrics } = setUpSigning(
      { bufferedBytes: 1025, send: (frame) => void frames.push(frame) },
      () => true,
      { maxHolderBufferBytes: 1024 },
    );
    await expect(signing.sendToSign(KEY, message, { timeoutMs: 50 })).rejects.toMatchObject({
      code: ErrorCode.HolderBusy,
    });
    expect(frames).toEqual([]);
    expect(signing.pendingCount()).toBe(0);
    expect(await outcomes(metrics, ErrorCode.HolderBusy)).toBe(1);
  });

  it('counts a timed-out request against the budget until its frame has left', async () => {
    // The holder does not read: what is sent stays queued until the test lets it leave.
    const queued: string[] = [];
    const { signing } = setUpSigning(
      {
        get bufferedBytes() {
          return queued.join('').length;
        },
        send: (frame) => void queued.push(frame),
      },
      () => true,
      { maxBufferedBytes: frameBytes },
    );
    await expect(signing.sendToSign(KEY, message, { timeoutMs: 5 })).rejects.toMatchObject({
      code: ErrorCode.Timeout,
    });
    expect(signing.pendingCount()).toBe(0);
    expect(signing.bufferedBytes()).toBe(frameBytes);
    await expect(signing.sendToSign(KEY, message, { timeoutMs: 5 })).rejects.toMatchObject({
      code: ErrorCode.HolderBusy,
    });
    queued.splice(0);
    expect(signing.bufferedBytes()).toBe(0);
    await expect(signing.sendToSign(KEY, message, { timeoutMs: 5 })).rejects.toMatchObject({
      code: ErrorCode.Timeout,
    });
    expect(queued).toHaveLength(1);
  });

  it('fails the requests a returning holder has no room for, and sends the rest', async () => {
    const { signing, connection, respond, router, reconnect } = setUpSigning({}, () => true, {
      maxHolderBufferBytes: 1,
    });
    const first = signing.sendToSign(KEY, message, { timeoutMs: 1000 });
    const second = signing.sendToSign(KEY, Buffer.from('again'), { timeoutMs: 1000 });
    router.detach(KEY);
    // The returning holder does not read: after one frame it is over its limit of 1 byte.
    const frames: string[] = [];
    const returned: V1Session = {
      ...connection,
      get bufferedBytes() {
        return frames.join('').length;
      },
      send: (frame) => void frames.push(frame),
    };
    reconnect(returned);
    expect(frames).toEqual([message.toString('base64')]);
    await expect(second).rejects.toMatchObject({ code: ErrorCode.HolderBusy });
    expect(signing.pendingCount()).toBe(1);
    respond(frames[0]);
    await expect(first).resolves.toMatchObject({ publicKey: KEY });
  });
});
