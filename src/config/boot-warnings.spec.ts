import { bootWarnings, PUBLIC_URLS_WARNING } from './boot-warnings.js';

describe('bootWarnings', () => {
  it('warns when HOST is not loopback and PUBLIC_URLS is empty', () => {
    expect(bootWarnings({ HOST: '0.0.0.0', PUBLIC_URLS: [] })).toEqual([PUBLIC_URLS_WARNING]);
  });

  it.each([
    ['a loopback HOST', { HOST: '127.0.0.1', PUBLIC_URLS: [] }],
    ['PUBLIC_URLS set', { HOST: '0.0.0.0', PUBLIC_URLS: ['wss://relay.example/ws'] }],
  ])('is quiet with %s', (_name, env) => {
    expect(bootWarnings(env)).toEqual([]);
  });
});
