import { jest } from '@jest/globals';
import { firstValueFrom, Observable, Subject } from 'rxjs';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  IDEMPOTENCY_ENTRY_OVERHEAD,
  IDEMPOTENCY_SWEEP_MS,
  IdempotencyLimits,
  IdempotencyStore,
  IdempotentRequest,
} from './idempotency-store.js';
import type { SignResult } from './sign-result.interface.js';

const KEY_ID = `02${'ab'.repeat(32)}`;
const SIGNATURE_TEXT = 'c2lnbmF0dXJl';

/** A holder that answers when the test says so; counts how often it was asked. */
class FakeHolder {
  asked = 0;
  private readonly answers: Subject<SignResult>[] = [];

  readonly start = (): Observable<SignResult> => {
    this.asked++;
    const answer = new Subject<SignResult>();
    this.answers.push(answer);
    return answer;
  };

  /** Answers the oldest open request, with its signature text cut out of a larger frame. */
  answer(message: Uint8Array): void {
    const frame = `${'A'.repeat(1000)}.${SIGNATURE_TEXT}`;
    const answer = this.answers.shift()!;
    answer.next({
      publicKey: KEY_ID,
      message,
      signature: Buffer.alloc(4096, 7).subarray(0, 64),
      signatureBase64: frame.slice(frame.indexOf('.') + 1),
      signatureCompact: new Uint8Array(64).fill(7),
    });
    answer.complete();
  }

  fail(): void {
    this.answers.shift()!.error(new Error('declined'));
  }
}

const limits = (overrides: Partial<IdempotencyLimits> = {}): IdempotencyLimits => ({
  ttlMs: 60_000,
  maxKeys: 100,
  maxBytes: 1024 * 1024,
  ...overrides,
});

function request(key: string, text = 'hello', caller = 'in-process'): IdempotentRequest {
  return { caller, key, keyId: KEY_ID, message: Buffer.from(text) };
}

describe('IdempotencyStore', () => {
  let store: IdempotencyStore;
  let holder: FakeHolder;

  beforeEach(() => {
    holder = new FakeHolder();
  });

  afterEach(() => {
    store.close();
    jest.useRealTimers();
  });

  it('replays a result with the repeat’s own message and its own copy of the signature', async () => {
    store = new IdempotencyStore(limits());
    const first = firstValueFrom(store.run(request('k'), holder.start));
    holder.answer(Buffer.from('hello'));
    const original = await first;
    const repeat = request('k');
    const replayed = await firstValueFrom(store.run(repeat, holder.start));
    expect(holder.asked).toBe(1);
    expect(replayed.message).toBe(repeat.message);
    expect(replayed).toMatchObject({ publicKey: KEY_ID, signatureBase64: SIGNATURE_TEXT });
    expect(Buffer.from(replayed.signature)).toEqual(Buffer.from(original.signature));
    expect(replayed.signature.buffer).not.toBe(original.signature.buffer);
    expect(replayed.signature.buffer.byteLength).toBe(64);
  });

  it('lets a repeat join the request in flight, and answers it with its own message', async () => {
    store = new IdempotencyStore(limits());
    const first = firstValueFrom(store.run(request('k'), holder.start));
    const repeat = request('k');
    const joined = firstValueFrom(store.run(repeat, holder.start));
    holder.answer(Buffer.from('hello'));
    expect((await joined).message).toBe(repeat.message);
    expect((await first).signatureBase64).toBe(SIGNATURE_TEXT);
    expect(holder.asked).toBe(1);
  });

  it('refuses the same key for another message or holder key with idempotency_conflict', async () => {
    store = new IdempotencyStore(limits());
    const first = firstValueFrom(store.run(request('k'), holder.start));
    await expect(firstValueFrom(store.run(request('k', 'other'), holder.start))).rejects.toMatchObject({
      code: ErrorCode.IdempotencyConflict,
    });
    holder.answer(Buffer.from('hello'));
    await first;
    const otherKey = { ...request('k'), keyId: `03${'ab'.repeat(32)}` };
    await expect(firstValueFrom(store.run(otherKey, holder.start))).rejects.toMatchObject({
      code: ErrorCode.IdempotencyConflict,
    });
  });

  it('scopes keys per caller, without confusing names that contain the separator', async () => {
    store = new IdempotencyStore(limits());
    const alice = firstValueFrom(store.run(request('k', 'one', 'alice'), holder.start));
    const bob = firstValueFrom(store.run(request('k', 'two', 'bob'), holder.start));
    const split = firstValueFrom(store.run(request('b:k', 'three', 'a'), holder.start));
    const joined = firstValueFrom(store.run(request('k', 'four', 'a:b'), holder.start));
    expect(holder.asked).toBe(4);
    for (const text of ['one', 'two', 'three', 'four']) holder.answer(Buffer.from(text));
    await Promise.all([alice, bob, split, joined]);
    await firstValueFrom(store.run(request('k', 'one', 'alice'), holder.start));
    expect(holder.asked).toBe(4);
  });

  it('drops expired results on a timer, with no request to trigger it, then stops the timer', async () => {
    jest.useFakeTimers();
    store = new IdempotencyStore(limits({ ttlMs: 5_000 }));
    const first = firstValueFrom(store.run(request('k'), holder.start));
    holder.answer(Buffer.from('hello'));
    await first;
    expect(store.size).toBe(1);
    jest.advanceTimersByTime(5_000 - 1);
    expect(store.size).toBe(1);
    jest.advanceTimersByTime(IDEMPOTENCY_SWEEP_MS + 1);
    expect(store.size).toBe(0);
    expect(store.byteSize).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps its estimated bytes within maxBytes by evicting the oldest results', async () => {
    const entry = IDEMPOTENCY_ENTRY_OVERHEAD + 200;
    store = new IdempotencyStore(limits({ maxBytes: 3 * entry }));
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
      const result = firstValueFrom(store.run(request(key), holder.start));
      holder.answer(Buffer.from('hello'));
      await result;
      expect(store.byteSize).toBeLessThanOrEqual(3 * entry);
    }
    expect(store.size).toBeLessThan(5);
    await firstValueFrom(store.run(request('k5'), holder.start));
    expect(holder.asked).toBe(5);
    const evicted = firstValueFrom(store.run(request('k1'), holder.start));
    expect(holder.asked).toBe(6);
    holder.answer(Buffer.from('hello'));
    await evicted;
  });

  it('never evicts a request in flight: a new key gets too_many_pending while they fill the store', async () => {
    store = new IdempotencyStore(limits({ maxKeys: 2 }));
    const done = firstValueFrom(store.run(request('done'), holder.start));
    holder.answer(Buffer.from('hello'));
    await done;
    const a = firstValueFrom(store.run(request('a'), holder.start));
    const b = firstValueFrom(store.run(request('b'), holder.start));
    expect(store.size).toBe(2);
    await expect(firstValueFrom(store.run(request('c'), holder.start))).rejects.toMatchObject({
      code: ErrorCode.TooManyPending,
    });
    const joined = firstValueFrom(store.run(request('a'), holder.start));
    holder.answer(Buffer.from('hello'));
    holder.answer(Buffer.from('hello'));
    await Promise.all([a, b, joined]);
    expect(holder.asked).toBe(3);
    await firstValueFrom(store.run(request('b'), holder.start));
    expect(holder.asked).toBe(3);
  });

  it('keeps no failure and nothing a departed caller left, so a retry asks again', async () => {
    store = new IdempotencyStore(limits());
    const failed = firstValueFrom(store.run(request('k'), holder.start));
    holder.fail();
    await expect(failed).rejects.toThrow('declined');
    store.run(request('gone'), holder.start).subscribe().unsubscribe();
    expect(store.size).toBe(0);
    expect(store.byteSize).toBe(0);
    const retried = firstValueFrom(store.run(request('k'), holder.start));
    expect(holder.asked).toBe(3);
    holder.answer(Buffer.from('hello')); // the departed caller's request: nobody listens
    holder.answer(Buffer.from('hello'));
    await retried;
  });
});
