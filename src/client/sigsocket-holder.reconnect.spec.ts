import { jest } from '@jest/globals';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { fakeWebSocketClass, type FakeWebSocket } from '../../test/support/fake-web-socket.js';
import { SigSocketHolder } from './sigsocket-holder.js';

const reconnect = { initialDelayMs: 100, maxDelayMs: 400, factor: 2, jitter: 0.5 };
const challenge = Buffer.from('sigsocket:challenge:test:0123456789abcdef').toString('base64');

function setup(): { holder: SigSocketHolder; sockets: FakeWebSocket[]; closes: number[] } {
  const { WebSocket, sockets } = fakeWebSocketClass();
  const closes: number[] = [];
  const holder = new SigSocketHolder({
    url: 'ws://127.0.0.1:1/ws',
    secretKey: secp256k1.utils.randomSecretKey(),
    WebSocket,
    protocol: 'v1',
    reconnect,
    onClose: (code) => closes.push(code),
  });
  return { holder: holder.start(), sockets, closes };
}

/** Expects the next socket after at least half and at most all of `delay` (the jitter range). */
async function expectRetryWithin(sockets: FakeWebSocket[], delay: number): Promise<void> {
  const before = sockets.length;
  await jest.advanceTimersByTimeAsync(delay / 2 - 1);
  expect(sockets).toHaveLength(before);
  await jest.advanceTimersByTimeAsync(delay / 2 + 1);
  expect(sockets).toHaveLength(before + 1);
}

describe('SigSocketHolder reconnection', () => {
  // The fake socket delivers close events in a microtask, which must stay real.
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  test('retries with capped exponential backoff, and starts over once ready', async () => {
    const { holder, sockets, closes } = setup();
    sockets[0].serverClose(1006);
    await expectRetryWithin(sockets, 100);
    sockets[1].serverClose(1006);
    await expectRetryWithin(sockets, 200);
    sockets[2].serverClose(1013);
    await expectRetryWithin(sockets, 400);
    sockets[3].serverClose(1001);
    await expectRetryWithin(sockets, 400);
    sockets[4].open();
    sockets[4].receive(challenge);
    await holder.ready();
    sockets[4].serverClose(1006);
    await expectRetryWithin(sockets, 100);
    expect(closes).toEqual([1006, 1006, 1013, 1001, 1006]);
    expect(holder.stopped).toBe(false);
    await holder.close();
  });

  test.each([1008, 4001])('stops for good after close code %i', async (code) => {
    const { holder, sockets } = setup();
    sockets[0].open();
    const ready = holder.ready();
    sockets[0].serverClose(code, 'no');
    await expect(ready).rejects.toThrow('stopped');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
    expect(holder.stopped).toBe(true);
    expect(holder.state).toBe('closed');
  });

  test('close() closes with 1000 and stops reconnecting', async () => {
    const { holder, sockets } = setup();
    sockets[0].open();
    await holder.close();
    expect(sockets[0].closedWith).toEqual({ code: 1000, reason: '' });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
    expect(holder.stopped).toBe(true);
  });

  test('close() while waiting to retry cancels the retry', async () => {
    const { holder, sockets } = setup();
    sockets[0].serverClose(1006);
    await holder.close();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
    await expect(holder.ready()).rejects.toThrow('stopped');
  });

  test('reconnect: false never retries', async () => {
    const { WebSocket, sockets } = fakeWebSocketClass();
    const holder = new SigSocketHolder({
      url: 'ws://h/ws',
      secretKey: secp256k1.utils.randomSecretKey(),
      WebSocket,
      reconnect: false,
    });
    holder.start();
    sockets[0].serverClose(1006);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    expect(holder.stopped).toBe(true);
  });
});
