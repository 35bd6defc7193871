import type { IncomingMessage } from 'node:http';
import { clientAddress, proxyHops } from './client-address.js';

function requestFrom(peer: string, forwarded?: string): IncomingMessage {
  const headers = forwarded === undefined ? {} : { 'x-forwarded-for': forwarded };
  return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

describe('proxyHops', () => {
  it.each([
    [false, 0],
    [true, 1],
    [0, 0],
    [3, 3],
    [-1, 0],
    [1.5, 0],
  ])('reads %p as %i hops', (trustProxy, hops) => {
    expect(proxyHops(trustProxy)).toBe(hops);
  });
});

describe('clientAddress', () => {
  const peer = '10.0.0.2';

  it('is the peer address without trusted proxies, whatever the client writes', () => {
    expect(clientAddress(requestFrom(peer, '203.0.113.1'), 0)).toBe(peer);
  });

  it.each([
    ['203.0.113.1', 1, '203.0.113.1'],
    ['198.51.100.7, 203.0.113.1', 1, '203.0.113.1'],
    ['198.51.100.7,203.0.113.1 , 10.0.0.1', 2, '203.0.113.1'],
    ['198.51.100.7, 203.0.113.1, 10.0.0.1', 3, '198.51.100.7'],
    ['203.0.113.1, 10.0.0.1', 5, '203.0.113.1'],
    [' , 203.0.113.1,', 1, '203.0.113.1'],
  ])('takes from %p with %i hops %p', (forwarded, hops, address) => {
    expect(clientAddress(requestFrom(peer, forwarded), hops)).toBe(address);
  });

  it('falls back to the peer address when the header is missing or empty', () => {
    expect(clientAddress(requestFrom(peer), 1)).toBe(peer);
    expect(clientAddress(requestFrom(peer, ' , '), 1)).toBe(peer);
  });
});
