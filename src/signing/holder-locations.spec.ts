import { jest } from '@jest/globals';
import type { HolderDirectory, HolderLocation } from '../cluster/holder-directory.interface.js';
import { HolderLocations } from './holder-locations.js';

const A: HolderLocation = { instanceId: 'a', protocol: 'v1' };
const B: HolderLocation = { instanceId: 'b', protocol: 'v2' };

function directoryAnswering(where: HolderLocation | undefined) {
  const locate = jest.fn((_keyId: string) => Promise.resolve(where));
  return { locate, directory: { instanceId: 'self', locate } as unknown as HolderDirectory };
}

describe('HolderLocations', () => {
  it('asks the directory once per key while nothing changes', async () => {
    const { locate, directory } = directoryAnswering(A);
    const locations = new HolderLocations(directory);
    await expect(locations.locate('k')).resolves.toEqual(A);
    await expect(locations.locate('k')).resolves.toEqual(A);
    expect(locate).toHaveBeenCalledTimes(1);
  });

  it('keeps neither a miss nor this instance', async () => {
    for (const where of [undefined, { instanceId: 'self', protocol: 'v1' } as const]) {
      const { locate, directory } = directoryAnswering(where);
      const locations = new HolderLocations(directory);
      await locations.locate('k');
      await locations.locate('k');
      expect(locate).toHaveBeenCalledTimes(2);
    }
  });

  it('moves an entry on arrival and drops it on departure from its instance only', async () => {
    const { locate, directory } = directoryAnswering(A);
    const locations = new HolderLocations(directory);
    await locations.locate('k');
    locations.arrived('k', B);
    locations.departed('k', 'a');
    await expect(locations.locate('k')).resolves.toEqual(B);
    locations.departed('k', 'b');
    await expect(locations.locate('k')).resolves.toEqual(A);
    expect(locate).toHaveBeenCalledTimes(2);
  });

  it('does not keep a lookup that a change overtook, nor entries of a gone instance', async () => {
    const { locate, directory } = directoryAnswering(A);
    const locations = new HolderLocations(directory);
    const pending = locations.locate('k');
    locations.departed('other', 'a');
    await pending;
    expect(locations.size).toBe(0);
    await locations.locate('k');
    await locations.locate('j');
    locations.instanceGone('a');
    expect(locations.size).toBe(0);
    await locations.locate('k');
    locations.clear();
    expect(locations.size).toBe(0);
    expect(locate).toHaveBeenCalledTimes(4);
  });
});
