import { SigSocketError } from '../common/sigsocket.error.js';
import { V1HolderLink, V1Session } from '../gateway/v1-holder-link.js';
import { inMemoryClusterParts } from '../cluster/in-memory-cluster-parts.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { RegistryService } from '../registry/registry.service.js';
import { resolveOptions, SigSocketModuleOptions } from '../sigsocket-options.interface.js';
import type { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { HolderOutbox } from './holder-outbox.js';
import { HolderRouter } from './holder-router.service.js';
import { SigningService } from './signing.service.js';

const KEY = `02${'11'.repeat(32)}`;

/** A SigningService over one fake v1 holder and a verifier that does what the test says. */
function setUp(holder: Partial<V1Session>, verify: () => boolean, config: SigSocketModuleOptions = {}) {
  const base: V1Session = {
    id: 'c1',
    keyId: KEY,
    publicKey: new Uint8Array(33),
    bufferedBytes: 0,
    send: () => undefined,
    close: () => undefined,
  };
  // Copied with their getters, so a test's `bufferedBytes` can change.
  const connection: V1Session = Object.defineProperties(base, Object.getOwnPropertyDescriptors(holder));
  const options = resolveOptions(config);
  const outbox = new HolderOutbox(options.maxHolderBufferBytes, options.maxBufferedBytes);
  let link = new V1HolderLink(connection, outbox);
  const registry = { resolveKeyId: (key: string) => key, get: () => link };
  const verifier = { verifyToCompact: () => (verify() ? new Uint8Array(64) : null) };
  const metrics = new SigSocketMetrics(options);
  const cluster = inMemoryClusterParts();
  const router = new HolderRouter(
    options,
    registry as unknown as RegistryService,
    verifier as unknown as SignatureVerifierService,
    metrics,
    cluster,
  );
  const signing = new SigningService(
    options,
    registry as unknown as RegistryService,
    router,
    outbox,
    metrics,
    cluster,
  );
  /** The holder answers the message it was sent as `messageBase64`, as a v1 holder does. */
  const respond = (messageBase64: string): void => {
    const id = link.take(messageBase64);
    if (id !== undefined)
      router.answer(link, id, { signature: new Uint8Array(64).fill(1), signatureBase64: 'AA==' });
  };
  /** The holder comes back on a new connection. */
  const reconnect = (session: V1Session): void => {
    link = new V1HolderLink(session, outbox);
    void router.attach(link);
  };
  return { signing, connection, metrics, router, respond, reconnect };
}

async function outcomes(metrics: SigSocketMetrics, outcome: string, caller?: string): Promise<number> {
  const data = await metrics.registry.getSingleMetric('sigsocket_sign_requests_total')!.get();
  return data.values
    .filter((v) => v.labels.outcome === outcome && (caller === undefined || v.labels.caller === caller))
    .reduce((sum, v) => sum + v.value, 0);
}

async function callerLabels(metrics: SigSocketMetrics): Promise<string[]> {
  const data = await metrics.registry.getSingleMetric('sigsocket_sign_requests_total')!.get();
  return [...new Set(data.values.map((v) => String(v.labels.caller)))].sort();
}

describe('SigningService', () => {
  it('fails the caller and keeps nothing pending when sending to the holder throws', async () => {
    const { signing, metrics } = setUp(
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
    const { signing, metrics, respond } = setUp({}, () => {
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
    const { signing, metrics, respond } = setUp({}, () => true);
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
      const { signing, metrics, respond } = setUp({}, () => true, { apiKeys });
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
      const { signing, metrics } = setUp({}, () => true, { apiKeys });
      for (const caller of ['', 'has space', 'x'.repeat(33), 'new\nline', '9lives']) {
        await expect(signing.sendToSign(KEY, Buffer.from('hi'), { caller })).rejects.toMatchObject({
          code: ErrorCode.InvalidRequest,
        });
      }
      expect(await outcomes(metrics, ErrorCode.InvalidRequest, 'in-process')).toBe(5);
      expect(await callerLabels(metrics)).toEqual(['alice', 'anonymous', 'in-process', 'key2']);
    });

    it('holds each caller to its own share of a key, and to its total', async () => {
      const { signing } = setUp({}, () => true, { maxPendingPerKey: 2, maxPendingPerCaller: 3 });
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
    const { signing, respond } = setUp({ send: (frame) => void frames.push(frame) }, () => true);
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

  describe('backpressure', () => {
    const message = Buffer.from('hello');
    const frameBytes = message.toString('base64').length;

    it('refuses a request with holder_busy while the holder has more queued than its limit', async () => {
      const frames: string[] = [];
      const { signing, metrics } = setUp(
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
      const { signing } = setUp(
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
      const { signing, connection, respond, router, reconnect } = setUp({}, () => true, {
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
});
