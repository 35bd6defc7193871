import { Subscriber } from 'rxjs';
import { PendingRequest, PendingRequests } from './pending-requests.js';

const request = (id: string, keyId = 'k1', caller = 'alice'): PendingRequest => ({
  id,
  keyId,
  caller,
  message: new Uint8Array([1]),
  deadline: 0,
  observer: new Subscriber(),
});

describe('PendingRequests', () => {
  it('finds requests by id and lists a key’s in arrival order', () => {
    const pending = new PendingRequests();
    const [a, b, c] = [request('a'), request('b', 'k2'), request('c')];
    [a, b, c].forEach((r) => pending.add(r));
    expect(pending.get('b')).toBe(b);
    expect(pending.forKey('k1')).toEqual([a, c]);
    expect([pending.size, pending.countFor('k1'), pending.countFor('k2')]).toEqual([3, 2, 1]);
  });

  it('refuses a second request with a pending id', () => {
    const pending = new PendingRequests();
    pending.add(request('a'));
    expect(() => pending.add(request('a', 'k2'))).toThrow('duplicate');
    expect(pending.countFor('k2')).toBe(0);
  });

  it('removes a request once, and only the very request under its id', () => {
    const pending = new PendingRequests();
    const a = request('a');
    pending.add(a);
    expect(pending.remove(request('a'))).toBe(false);
    expect(pending.remove(a)).toBe(true);
    expect(pending.remove(a)).toBe(false);
    expect([pending.size, pending.countFor('k1'), pending.countFromCaller('alice')]).toEqual([0, 0, 0]);
  });

  it('counts per caller and per (caller, key), and takes everything of a key or of all', () => {
    const pending = new PendingRequests();
    ['a', 'b', 'c'].forEach((id) => pending.add(request(id, id === 'c' ? 'k2' : 'k1')));
    pending.add(request('d', 'k1', 'bob'));
    expect([pending.countFromCaller('alice'), pending.countFromCaller('alice', 'k1')]).toEqual([3, 2]);
    expect(pending.takeAll('k1').map((r) => r.id)).toEqual(['a', 'b', 'd']);
    expect([pending.countFromCaller('alice'), pending.countFromCaller('bob'), pending.size]).toEqual([
      1, 0, 1,
    ]);
    expect(pending.takeAll().map((r) => r.id)).toEqual(['c']);
    expect([pending.size, pending.get('c'), pending.forKey('k2')]).toEqual([0, undefined, []]);
  });
});
