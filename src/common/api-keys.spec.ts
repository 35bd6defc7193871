import { parseApiKeys } from './api-keys.js';

describe('parseApiKeys', () => {
  it('names entries by their prefix, or by position', () => {
    expect(
      parseApiKeys([
        'ops=abcdefghijklmnopq',
        'abcdefghijklmnopqr',
        'c2VjcmV0LXNlY3JldA==',
        '1x=abcdefghijklmnop',
      ]),
    ).toEqual([
      { name: 'ops', secret: 'abcdefghijklmnopq' },
      { name: 'key2', secret: 'abcdefghijklmnopqr' },
      { name: 'key3', secret: 'c2VjcmV0LXNlY3JldA==' },
      { name: 'key4', secret: '1x=abcdefghijklmnop' },
    ]);
  });
});
