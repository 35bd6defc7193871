import { parseHolderArgs, usageError } from './holder-args.js';

const URL = 'ws://127.0.0.1:8080/ws';

describe('parseHolderArgs', () => {
  test('defaults to asking before each signature', () => {
    expect(parseHolderArgs(['--url', URL, '--key-file', 'k'], undefined)).toEqual({
      help: false,
      options: { url: URL, key: { kind: 'file', path: 'k' }, approve: 'ask', quiet: false },
    });
  });

  test('takes the key from the environment when no file is given', () => {
    const args = parseHolderArgs(['--url', URL, '--approve', 'all', '--quiet'], 'ab'.repeat(32));
    expect(args).toMatchObject({ options: { key: { kind: 'env' }, approve: 'all', quiet: true } });
  });

  test('refuses bad command lines without echoing key material', () => {
    expect(() => parseHolderArgs([], undefined)).toThrow('--url is required');
    expect(() => parseHolderArgs(['--url', 'http://x/ws', '--generate-key', 'k'], undefined)).toThrow(
      'ws://',
    );
    expect(() => parseHolderArgs(['--url', URL, '--approve', 'some', '--key-file', 'k'], undefined)).toThrow(
      'ask or all',
    );
    expect(() =>
      parseHolderArgs(['--url', URL, '--key-file', 'a', '--generate-key', 'b'], undefined),
    ).toThrow('not both');
    expect(() => parseHolderArgs(['--url', URL], '  ')).toThrow('no key');
    expect(() => parseHolderArgs(['--url', URL, '--bogus'], undefined)).toThrow();
  });

  test('--help wins over everything else', () => {
    expect(parseHolderArgs(['--help'], undefined)).toEqual({ help: true });
  });

  test('a usage error is the problem on one line and a pointer to --help, not the usage text', () => {
    const text = usageError('--url is required');
    expect(text.split('\n')).toEqual([
      'sigsocket-holder: --url is required',
      'Run sigsocket-holder --help for the options.',
    ]);
    expect(usageError('first\nsecond').split('\n')).toHaveLength(2);
  });
});
