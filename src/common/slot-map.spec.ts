import { SlotMap } from './slot-map.js';

describe('SlotMap', () => {
  it('keeps, replaces and deletes values by key, with a size', () => {
    const map = new SlotMap<string, number>();
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    expect([map.size, map.get('a'), map.get('b'), map.has('b')]).toEqual([2, 3, 2, true]);
    expect(map.delete('b')).toBe(true);
    expect(map.delete('b')).toBe(false);
    expect([map.size, map.get('b'), map.has('b')]).toEqual([1, undefined, false]);
  });

  it('lists keys and values in insertion order, as snapshots that deleting does not change', () => {
    const map = new SlotMap<string, string>();
    for (const key of ['2', 'x', '1']) map.set(key, `v${key}`);
    const values = map.values();
    for (const key of map.keys()) map.delete(key);
    expect(values).toEqual(['v2', 'vx', 'v1']);
    expect([map.size, map.keys(), map.values()]).toEqual([0, [], []]);
  });

  it('empties the slot of a deleted entry, so a stale reference to the slot holds no value', () => {
    const map = new SlotMap<string, object>();
    map.set('k', { large: 'graph' });
    // What a discarded hash table of the map still points at: the entry's slot.
    const slot = (map as unknown as { slots: Map<string, unknown> }).slots.get('k');
    expect(slot).toEqual({ value: { large: 'graph' } });
    map.delete('k');
    expect(slot).toEqual({ value: undefined });
  });
});
