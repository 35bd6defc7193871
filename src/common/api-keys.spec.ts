import fc from 'fast-check';
import { CALLER_NAME, describeApiKeyProblems, parseApiKeys } from './api-keys.js';

const SECRET = 's3cret-0123456789';

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

  it('reads name=secret only when the name is a caller name', () => {
    expect(parseApiKeys([`Batch_job-2=${SECRET}=x`])).toEqual([
      { name: 'Batch_job-2', secret: `${SECRET}=x` },
    ]);
    expect(parseApiKeys([`${'a'.repeat(32)}=${SECRET}`])[0]?.name).toBe('a'.repeat(32));
    for (const entry of [
      `al ice=${SECRET}`,
      `${'a'.repeat(33)}=${SECRET}`,
      `=${SECRET}`,
      'c2VjcmV0LXNlY3JldC1zZWNyZXQ=',
    ]) {
      expect(parseApiKeys([SECRET, entry])[1]).toEqual({ name: 'key2', secret: entry });
    }
  });

  it('never loses a base64 secret to a name, whatever its bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 64 }), (bytes) => {
        const secret = Buffer.from(bytes).toString('base64');
        expect(parseApiKeys([secret])[0]?.secret).toBe(secret);
      }),
    );
  });
});

describe('describeApiKeyProblems', () => {
  it('finds short and repeated secrets, repeated and reserved names, by position only', () => {
    const problems = describeApiKeyProblems([
      'alice=short',
      `bob=${SECRET}`,
      `bob=${SECRET}-2`,
      `anonymous=${SECRET}-3`,
      `in-process=${SECRET}-4`,
      `key6=${SECRET}-5`,
      `${SECRET}-5`,
    ]);
    expect(problems).toBe(
      [
        'entry 1 (11 characters) has a secret of 5 characters; at least 16 are needed',
        'entry 3 repeats the name of an earlier entry',
        'entry 4 takes a reserved name (anonymous or in-process)',
        'entry 5 takes a reserved name (anonymous or in-process)',
        'entry 7 repeats the secret of an earlier entry',
      ].join('; '),
    );
    expect(problems).not.toMatch(/alice|bob|short|s3cret/);
  });

  it('accepts plain and named keys together, a plain one clashing with key<n> excepted', () => {
    expect(describeApiKeyProblems([SECRET, `alice=${SECRET}-a`, `${SECRET}-b`])).toBeUndefined();
    expect(describeApiKeyProblems([`key2=${SECRET}`, `${SECRET}-b`])).toBe(
      'entry 2 repeats the name of an earlier entry',
    );
  });

  it('gives the two built-in callers names that match the pattern', () => {
    expect(['anonymous', 'in-process'].every((name) => CALLER_NAME.test(name))).toBe(true);
  });
});
