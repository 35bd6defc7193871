import { isSafeRequestId, resolveRequestId } from './request-id.js';

describe('request ids', () => {
  it('keeps short ids made of safe characters', () => {
    for (const id of ['a', 'trace-1', 'abc.DEF_9:x', '0'.repeat(128)]) {
      expect(isSafeRequestId(id)).toBe(true);
      expect(resolveRequestId(id)).toBe(id);
    }
  });

  it('replaces missing, repeated, long or unsafe ids with a new UUID', () => {
    for (const incoming of [undefined, '', ['a', 'b'], '0'.repeat(129), 'a b', 'a\nb', '{"json":1}', 'é']) {
      const resolved = resolveRequestId(incoming);
      expect(resolved).not.toEqual(incoming);
      expect(resolved).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(resolveRequestId(undefined)).not.toBe(resolveRequestId(undefined));
  });
});
