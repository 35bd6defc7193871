import fc from 'fast-check';
import { parseWsEndpoint, proofUrlMatches, type WsEndpoint } from './proof-url.js';

const endpoints = (...urls: string[]): WsEndpoint[] =>
  urls.map((url) => {
    const endpoint = parseWsEndpoint(url);
    if (endpoint === null) throw new Error(`not a ws URL: ${url}`);
    return endpoint;
  });

describe('parseWsEndpoint', () => {
  it.each([
    ['ws://H.example/ws', { scheme: 'ws:', host: 'h.example', port: 80, path: '/ws' }],
    ['wss://h/ws', { scheme: 'wss:', host: 'h', port: 443, path: '/ws' }],
    ['wss://h:443/ws', { scheme: 'wss:', host: 'h', port: 443, path: '/ws' }],
    ['ws://[::1]:8080/relay/ws?x=1', { scheme: 'ws:', host: '[::1]', port: 8080, path: '/relay/ws' }],
  ])('reads %s', (url, expected) => {
    expect(parseWsEndpoint(url)).toEqual(expected);
  });

  it.each(['http://h/ws', 'https://h/ws', 'ws://user:pw@h/ws', 'not a url', '', 'ws://'])(
    'refuses %s',
    (url) => {
      expect(parseWsEndpoint(url)).toBeNull();
    },
  );

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), (text) => void parseWsEndpoint(text)));
  });
});

describe('proofUrlMatches with PUBLIC_URLS', () => {
  const where = {
    publicUrls: endpoints('wss://relay.example/ws', 'wss://relay.example:8443/p/ws'),
    wsPath: '/ws',
  };

  it.each([
    'wss://relay.example/ws',
    'wss://relay.example:443/ws',
    'wss://RELAY.example/ws',
    'wss://relay.example:8443/p/ws',
  ])('accepts %s', (url) => {
    expect(proofUrlMatches(url, where)).toBe(true);
  });

  it.each([
    'ws://relay.example/ws',
    'wss://relay.example:444/ws',
    'wss://relay.example/ws/',
    'wss://relay.example/p/ws',
    'wss://evil.example/ws',
    'wss://relay.example.evil.example/ws',
  ])('refuses %s', (url) => {
    expect(proofUrlMatches(url, where)).toBe(false);
  });

  it('ignores the Host header', () => {
    expect(proofUrlMatches('wss://relay.example/ws', { ...where, hostHeader: 'evil.example' })).toBe(true);
    expect(proofUrlMatches('wss://evil.example/ws', { ...where, hostHeader: 'evil.example' })).toBe(false);
  });
});

describe('proofUrlMatches without PUBLIC_URLS', () => {
  const at = (hostHeader: string | undefined) => ({ publicUrls: [], hostHeader, wsPath: '/ws' });

  it.each([
    ['ws://127.0.0.1:8080/ws', '127.0.0.1:8080'],
    ['ws://localhost/ws', 'localhost'],
    ['ws://localhost:80/ws', 'localhost'],
    ['wss://relay.example/ws', 'relay.example'],
    ['wss://relay.example/ws', 'relay.example:443'],
    ['ws://[::1]:9000/ws', '[::1]:9000'],
  ])('accepts %s for Host %s', (url, host) => {
    expect(proofUrlMatches(url, at(host))).toBe(true);
  });

  it.each([
    ['ws://127.0.0.1:8081/ws', '127.0.0.1:8080'],
    ['ws://127.0.0.1:8080/other', '127.0.0.1:8080'],
    ['ws://127.0.0.1/ws', '127.0.0.1:8080'],
    ['wss://relay.example/ws', 'relay.example:80'],
    ['ws://evil.example/ws', 'relay.example'],
    ['ws://relay.example/ws', 'relay.example/ws'],
    ['ws://relay.example/ws', 'user@relay.example'],
    ['ws://relay.example/ws', ''],
    ['ws://relay.example/ws', undefined],
  ])('refuses %s for Host %s', (url, host) => {
    expect(proofUrlMatches(url, at(host))).toBe(false);
  });
});
