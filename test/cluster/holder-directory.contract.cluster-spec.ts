import type { ClusterParts } from '../../src/cluster/cluster-parts.interface.js';
import type { HolderDirectory } from '../../src/cluster/holder-directory.interface.js';
import { IMPLEMENTATIONS } from './support/cluster-parts-factories.js';

const KEY = `02${'11'.repeat(32)}`;
const OTHER = `03${'22'.repeat(32)}`;

describe.each(IMPLEMENTATIONS)('HolderDirectory contract (%s)', (_name, factory) => {
  let parts: ClusterParts[] = [];
  let a: HolderDirectory;
  let b: HolderDirectory;

  beforeEach(async () => {
    const make = factory();
    parts = [await make(), await make()];
    [a, b] = parts.map((part) => part.directory);
  });

  afterEach(async () => {
    await Promise.all(parts.map((part) => part.close()));
  });

  it('gives each instance an id of its own', () => {
    expect(a.instanceId).not.toBe(b.instanceId);
  });

  it('locates a claimed key from any instance, with its protocol, and counts it once', async () => {
    expect(await a.claim(KEY, 'v1')).toEqual({ won: true });
    await expect(b.locate(KEY)).resolves.toEqual({ instanceId: a.instanceId, protocol: 'v1' });
    await expect(a.locate(OTHER)).resolves.toBeUndefined();
    await expect(b.holderCount()).resolves.toBe(1);
    await expect(b.instanceCount()).resolves.toBe(2);
  });

  it('lets a later claim elsewhere replace the entry, and names the instance it replaced', async () => {
    await a.claim(KEY, 'v2');
    expect(await b.claim(KEY, 'v2')).toEqual({ won: true, replaced: a.instanceId });
    await expect(a.locate(KEY)).resolves.toMatchObject({ instanceId: b.instanceId });
    await a.release(KEY);
    await expect(a.locate(KEY)).resolves.toMatchObject({ instanceId: b.instanceId });
    await expect(a.holderCount()).resolves.toBe(1);
  });

  it('forgets a key its owner released', async () => {
    await a.claim(KEY, 'v2');
    await a.release(KEY);
    await expect(b.locate(KEY)).resolves.toBeUndefined();
    await expect(b.holderCount()).resolves.toBe(0);
  });

  it('tells live instances from gone ones, and stops counting a gone instance’s holders', async () => {
    await a.claim(KEY, 'v2');
    await b.claim(OTHER, 'v2');
    await expect(a.liveInstances([a.instanceId, b.instanceId, 'nobody'])).resolves.toEqual(
      new Set([a.instanceId, b.instanceId]),
    );
    await parts[1].close();
    await expect(a.liveInstances([b.instanceId])).resolves.toEqual(new Set());
    await expect(a.locate(OTHER)).resolves.toBeUndefined();
    await expect(a.holderCount()).resolves.toBe(1);
    await expect(a.instanceCount()).resolves.toBe(1);
  });

  it('resyncs: keys that left are released, kept keys stay, a later proof elsewhere wins', async () => {
    await a.claim(KEY, 'v2');
    await a.claim(OTHER, 'v1');
    await b.claim(OTHER, 'v1');
    const outcomes = await a.resync(
      new Map([
        ['02' + '33'.repeat(32), 'v2'],
        [OTHER, 'v1'],
      ]),
    );
    expect(outcomes.get(OTHER)).toEqual({ won: false });
    expect(outcomes.get('02' + '33'.repeat(32))).toMatchObject({ won: true });
    await expect(b.locate(KEY)).resolves.toBeUndefined();
    await expect(a.locate(OTHER)).resolves.toMatchObject({ instanceId: b.instanceId });
  });

  it('keeps an earlier claim’s proof time when it claims again after a later one elsewhere lost', async () => {
    await b.claim(KEY, 'v2');
    await a.claim(KEY, 'v2');
    const outcomes = await a.resync(new Map([[KEY, 'v2']]));
    expect(outcomes.get(KEY)).toEqual({ won: true });
    await expect(b.locate(KEY)).resolves.toMatchObject({ instanceId: a.instanceId });
  });

  it('keeps a key in transit for the grace after its instance left, until a holder claims it again', async () => {
    await a.claim(KEY, 'v2');
    await expect(b.transitMs(KEY)).resolves.toBe(0);
    await a.markInTransit([KEY], 5_000);
    await parts[0].close();
    await expect(b.locate(KEY)).resolves.toBeUndefined();
    const left = await b.transitMs(KEY);
    expect(left).toBeGreaterThan(4_000);
    expect(left).toBeLessThanOrEqual(5_000);
    await expect(b.transitMs(OTHER)).resolves.toBe(0);
    await b.claim(KEY, 'v2');
    await expect(b.transitMs(KEY)).resolves.toBe(0);
  });

  it('ends a transit once its grace has passed', async () => {
    await a.markInTransit([KEY, OTHER], 50);
    await expect(b.transitMs(OTHER)).resolves.toBeGreaterThan(0);
    await new Promise((done) => setTimeout(done, 120));
    await expect(b.transitMs(KEY)).resolves.toBe(0);
    await expect(b.transitMs(OTHER)).resolves.toBe(0);
  });
});
