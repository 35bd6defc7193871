import { firstValueFrom, map, Observable, timer } from 'rxjs';
import type { ClusterParts } from '../../src/cluster/cluster-parts.interface.js';
import type { Idempotency } from '../../src/cluster/idempotency.interface.js';
import type { SignResult } from '../../src/signing/sign-result.interface.js';
import { IMPLEMENTATIONS } from './support/cluster-parts-factories.js';

const KEY_ID = `02${'11'.repeat(32)}`;
const LIMITS = { ttlMs: 10_000, maxKeys: 100, maxBytes: 1_000_000 };

describe.each(IMPLEMENTATIONS)('Idempotency contract (%s)', (_name, factory) => {
  let parts: ClusterParts[] = [];
  let stores: Idempotency[] = [];
  let asked = 0;

  beforeEach(async () => {
    const make = factory();
    parts = [await make(), await make()];
    stores = parts.map((part) => part.idempotency(LIMITS, 5_000));
    asked = 0;
  });

  afterEach(async () => {
    for (const store of stores) store.close();
    await Promise.all(parts.map((part) => part.close()));
  });

  /** The holder: answers after 100 ms, counting how often it was asked. */
  const start = (): Observable<SignResult> => {
    asked++;
    return timer(100).pipe(
      map(() => ({
        publicKey: KEY_ID,
        message: new Uint8Array([1]),
        signature: new Uint8Array(64).fill(asked),
        signatureBase64: Buffer.alloc(64, asked).toString('base64'),
        signatureCompact: new Uint8Array(64).fill(asked),
      })),
    );
  };

  const request = (key: string, message = 'pay') => ({
    caller: 'alice',
    key: `${key}-${Date.now()}`,
    keyId: KEY_ID,
    message: Buffer.from(message),
  });

  it('asks once for a repeat in flight, and replays the result to a later repeat', async () => {
    const one = request('k');
    const [first, second] = await Promise.all(stores.map((store) => firstValueFrom(store.run(one, start))));
    expect(asked).toBe(1);
    expect(second.signatureBase64).toBe(first.signatureBase64);
    const later = await firstValueFrom(stores[1].run(one, start));
    expect(later.signatureBase64).toBe(first.signatureBase64);
    expect(later.message).toEqual(one.message);
    expect(asked).toBe(1);
  });

  it('refuses the same key with another message as idempotency_conflict', async () => {
    const one = request('c');
    await firstValueFrom(stores[0].run(one, start));
    await expect(
      firstValueFrom(stores[1].run({ ...one, message: Buffer.from('other') }, start)),
    ).rejects.toMatchObject({
      code: 'idempotency_conflict',
    });
  });

  it('keeps the keys of two callers apart', async () => {
    const one = request('s');
    await firstValueFrom(stores[0].run(one, start));
    await firstValueFrom(stores[1].run({ ...one, caller: 'bob' }, start));
    expect(asked).toBe(2);
  });
});
