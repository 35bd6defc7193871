import { BearerKeys } from './bearer-keys.js';

describe('BearerKeys', () => {
  const keys = new BearerKeys([
    { name: 'alice', secret: 'alice-secret-0123456789' },
    { name: 'bob', secret: 'bob-secret-0123456789' },
  ]);

  it('reads the token of a Bearer header only', () => {
    expect(BearerKeys.tokenOf('Bearer abc')).toBe('abc');
    expect(BearerKeys.tokenOf('bearer \tabc ')).toBe('abc');
    expect(BearerKeys.tokenOf('Basic abc')).toBeUndefined();
    expect(BearerKeys.tokenOf('Bearer a b')).toBeUndefined();
    expect(BearerKeys.tokenOf(['Bearer abc'])).toBeUndefined();
    expect(BearerKeys.tokenOf(undefined)).toBeUndefined();
  });

  it('names the key a token matches, whatever its position', () => {
    expect(keys.nameOf('alice-secret-0123456789')).toBe('alice');
    expect(keys.nameOf('bob-secret-0123456789')).toBe('bob');
    expect(keys.nameOf('bob-secret-012345678')).toBeUndefined();
    expect(keys.nameOf('')).toBeUndefined();
  });

  it('knows when no key is configured', () => {
    expect(keys.isEmpty).toBe(false);
    expect(new BearerKeys([]).isEmpty).toBe(true);
  });
});
