import { V1RequestQueue } from './v1-request-queue.js';

describe('V1RequestQueue', () => {
  it('answers the oldest request for the same bytes first', () => {
    const queue = new V1RequestQueue();
    queue.add('a', 'aGk=');
    queue.add('b', 'aGk=');
    queue.add('c', 'eW8=');
    expect([queue.take('aGk='), queue.take('aGk='), queue.take('aGk=')]).toEqual(['a', 'b', undefined]);
    expect(queue.size).toBe(1);
  });

  it('matches a non-canonical encoding of the same bytes', () => {
    const queue = new V1RequestQueue();
    queue.add('a', 'aGk=');
    // 'aGl=' has non-zero padding bits but decodes to the same two bytes.
    expect(queue.take('aGl=')).toBe('a');
    expect(queue.take('aGk=')).toBeUndefined();
  });

  it('forgets a cancelled request, so the next one for the bytes is answered', () => {
    const queue = new V1RequestQueue();
    queue.add('a', 'aGk=');
    queue.add('b', 'aGk=');
    expect(queue.remove('a')).toBe(true);
    expect(queue.remove('a')).toBe(false);
    expect(queue.take('aGk=')).toBe('b');
    expect(queue.size).toBe(0);
  });

  it('keeps delivery order as requests come and go around the first one', () => {
    const queue = new V1RequestQueue();
    queue.add('a', 'aGk=');
    queue.add('b', 'aGk=');
    expect(queue.take('aGk=')).toBe('a');
    queue.add('c', 'aGk=');
    queue.add('d', 'eW8=');
    expect(queue.remove('d')).toBe(true);
    expect([queue.take('aGk='), queue.take('aGk='), queue.take('aGk=')]).toEqual(['b', 'c', undefined]);
    queue.add('e', 'eW8=');
    expect(queue.size).toBe(1);
    expect(queue.take('eW8=')).toBe('e');
    expect(queue.size).toBe(0);
  });

  it('keeps an id queued once, in its first place, when it is added again', () => {
    const queue = new V1RequestQueue();
    queue.add('a', 'aGk=');
    queue.add('b', 'aGk=');
    queue.add('a', 'aGk=');
    queue.add('b', 'aGk=');
    expect(queue.size).toBe(2);
    expect(queue.remove('b')).toBe(true);
    expect([queue.take('aGk='), queue.take('aGk=')]).toEqual(['a', undefined]);
  });
});
