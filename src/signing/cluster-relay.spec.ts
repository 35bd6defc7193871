import { jest } from '@jest/globals';
import { firstValueFrom, Observable } from 'rxjs';
import type { ClusterParts } from '../cluster/cluster-parts.interface.js';
import { InMemoryCluster } from '../cluster/in-memory-cluster.js';
import { inMemoryClusterParts } from '../cluster/in-memory-cluster-parts.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import type { CancelReason, HolderLink, LinkRequest } from '../registry/holder-link.interface.js';
import type { RegistryService } from '../registry/registry.service.js';
import { resolveOptions } from '../sigsocket-options.interface.js';
import type { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { ClusterRelay } from './cluster-relay.js';
import { HolderRouter, RouteRequest } from './holder-router.service.js';
import type { SignResult } from './sign-result.interface.js';

const KEY = `02${'11'.repeat(32)}`;
const ANSWER = {
  signature: new Uint8Array(64).fill(1),
  signatureBase64: Buffer.alloc(64, 1).toString('base64'),
};

class FakeLink implements HolderLink {
  readonly delivered: LinkRequest[] = [];
  readonly cancelled: [string, CancelReason][] = [];
  readonly closed: number[] = [];
  readonly publicKey = Buffer.from(KEY, 'hex');
  readonly keyId = KEY;

  constructor(
    readonly id: string,
    readonly protocol: 'v1' | 'v2' = 'v2',
  ) {}

  deliver(request: LinkRequest): void {
    this.delivered.push(request);
  }

  cancel(id: string, reason: CancelReason): void {
    this.cancelled.push([id, reason]);
  }

  close(code: number): void {
    this.closed.push(code);
  }
}

/** One in-process instance: its router, relay and registry of local links. */
function instance(shared: InMemoryCluster, reconnectGraceMs = 1_000) {
  const options = resolveOptions({ reconnectGraceMs });
  const links = new Map<string, HolderLink>();
  const registry = {
    get: (keyId: string) => links.get(keyId),
    localKeys: () => new Map([...links].map(([keyId, link]) => [keyId, link.protocol])),
  } as unknown as RegistryService;
  const parts: ClusterParts = inMemoryClusterParts(shared);
  const metrics = new SigSocketMetrics(options);
  const verifier = {
    verify: jest.fn(() => true),
    verifyToCompact: jest.fn(() => new Uint8Array(64)),
  } as unknown as SignatureVerifierService;
  const router = new HolderRouter(options, registry, verifier, metrics, parts);
  const relay = new ClusterRelay(parts, router, registry, metrics);
  relay.onModuleInit();
  const connect = async (link: FakeLink): Promise<FakeLink> => {
    links.set(link.keyId, link);
    await router.attach(link);
    return link;
  };
  const leave = (link: FakeLink): void => {
    links.delete(link.keyId);
    router.detach(link.keyId, link);
  };
  return { router, relay, connect, leave, parts, verifier };
}

const route = (text: string): RouteRequest => ({
  keyId: KEY,
  caller: 'alice',
  message: Buffer.from(text),
  timeoutMs: 2_000,
});

const settle = (result: Observable<SignResult>): Promise<string> =>
  firstValueFrom(result).then(
    () => 'ok',
    (error: { code: string }) => error.code,
  );

/** Lets the bus's queued messages arrive. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ClusterRelay: requests between two instances of one process', () => {
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  beforeEach(() => {
    const shared = new InMemoryCluster();
    a = instance(shared);
    b = instance(shared);
  });

  afterEach(async () => {
    await a.relay.onApplicationShutdown();
    await b.relay.onApplicationShutdown();
  });

  it('delivers a request to the holder’s instance and settles its answer at the caller’s, by the same id', async () => {
    const link = await b.connect(new FakeLink('c1'));
    const result = settle(a.router.request$(route('x')));
    await flush();
    expect(link.delivered).toHaveLength(1);
    expect(a.router.pendingCount).toBe(1);
    expect(b.router.answer(link, link.delivered[0].id, ANSWER)).toBe('verified');
    await expect(result).resolves.toBe('ok');
    expect(a.router.pendingCount).toBe(0);
    expect(b.router.forwarded.size).toBe(0);
  });

  it('passes a decline back, and an unsubscribe on to the holder as withdrawn', async () => {
    const link = await b.connect(new FakeLink('c1'));
    const declined = settle(a.router.request$(route('no')));
    await flush();
    expect(b.router.decline(link, link.delivered[0].id, 'no thanks')).toBe(true);
    await expect(declined).resolves.toBe('rejected');
    const subscription = a.router.request$(route('later')).subscribe({ error: () => undefined });
    await flush();
    subscription.unsubscribe();
    await flush();
    expect(link.cancelled).toEqual([[link.delivered[1].id, 'withdrawn']]);
  });

  it('moves a waiting request to the instance where its holder proves itself again, with the same id', async () => {
    const old = await b.connect(new FakeLink('c1'));
    const result = settle(a.router.request$(route('x')));
    await flush();
    b.leave(old);
    await flush();
    const fresh = await a.connect(new FakeLink('c2'));
    expect(fresh.delivered.map((request) => request.id)).toEqual([old.delivered[0].id]);
    a.router.answer(fresh, fresh.delivered[0].id, ANSWER);
    await expect(result).resolves.toBe('ok');
  });

  it('closes the older connection with 4001 when the key proves itself on another instance', async () => {
    const old = await b.connect(new FakeLink('c1'));
    await a.connect(new FakeLink('c2'));
    await flush();
    expect(old.closed).toEqual([4001]);
  });

  it('finds a key once in the directory, and looks again once its holder has left', async () => {
    const locate = jest.spyOn(a.parts.directory, 'locate');
    const link = await b.connect(new FakeLink('c1'));
    for (const text of ['x', 'y']) {
      const result = settle(a.router.request$(route(text)));
      await flush();
      b.router.answer(link, link.delivered.at(-1)!.id, ANSWER);
      await expect(result).resolves.toBe('ok');
    }
    expect(locate).toHaveBeenCalledTimes(1);
    b.leave(link);
    await flush();
    await expect(settle(a.router.request$(route('z')))).resolves.toBe('not_connected');
    expect(locate).toHaveBeenCalledTimes(2);
  });

  it('sends a v1 holder’s answer back unchecked: the caller’s instance checks it', async () => {
    const link = await b.connect(new FakeLink('c1', 'v1'));
    const result = settle(a.router.request$(route('x')));
    await flush();
    expect(b.router.answer(link, link.delivered[0].id, ANSWER)).toBe('forwarded');
    expect(b.verifier.verify).not.toHaveBeenCalled();
    await expect(result).resolves.toBe('ok');
    expect(a.verifier.verifyToCompact).toHaveBeenCalledTimes(1);
  });

  it('answers not_connected for a key held nowhere', async () => {
    await expect(settle(a.router.request$(route('x')))).resolves.toBe('not_connected');
  });
});
