import { jest } from '@jest/globals';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { fakeWebSocketClass, type FakeWebSocket } from '../../test/support/fake-web-socket.js';
import type { SigSocketHolderOptions } from './holder-options.interface.js';
import { DEFAULT_DECLINE_REASON, FAILED_DECLINE_REASON, SigSocketHolder } from './sigsocket-holder.js';

const URL = 'ws://127.0.0.1:1/ws';
const secretKey = secp256k1.utils.randomSecretKey();
const publicKey = Buffer.from(secp256k1.getPublicKey(secretKey, true)).toString('hex');
const challenge = Buffer.concat([Buffer.from('sigsocket:challenge:test:'), Buffer.alloc(32, 7)]);
const request = Buffer.from('pay 10 to alice');

function setup(options: Partial<SigSocketHolderOptions> = {}): {
  holder: SigSocketHolder;
  sockets: FakeWebSocket[];
  states: string[];
} {
  const { WebSocket, sockets } = fakeWebSocketClass();
  const states: string[] = [];
  const holder = new SigSocketHolder({
    url: URL,
    secretKey,
    WebSocket,
    protocol: 'v1',
    onStateChange: (state) => states.push(state),
    ...options,
  });
  return { holder: holder.start(), sockets, states };
}

/** Lets pending promise callbacks (approve, sign) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Expects `frame` to be `<base64 message>.<base64 signature>` with a valid signature by the key. */
function expectSigned(frame: string | undefined, message: Uint8Array): void {
  const [messagePart, signaturePart] = (frame ?? '').split('.');
  expect(messagePart).toBe(Buffer.from(message).toString('base64'));
  const signature = Buffer.from(signaturePart ?? '', 'base64');
  expect(signature).toHaveLength(64);
  expect(secp256k1.verify(signature, message, Buffer.from(publicKey, 'hex'))).toBe(true);
}

describe('SigSocketHolder', () => {
  test('introduces its compressed public key once the socket opens', () => {
    const { holder, sockets, states } = setup();
    expect(holder.publicKey).toBe(publicKey);
    expect(sockets).toHaveLength(1);
    sockets[0].open();
    expect(sockets[0].sent).toEqual([publicKey]);
    expect(states).toEqual(['connecting', 'proving']);
  });

  test('always signs the challenge without asking approve, then is ready', async () => {
    const approve = jest.fn(() => false);
    const onRequest = jest.fn();
    const { holder, sockets, states } = setup({ approve, onRequest });
    sockets[0].open();
    sockets[0].receive(challenge.toString('base64'));
    await holder.ready();
    expectSigned(sockets[0].sent[1], challenge);
    expect(approve).not.toHaveBeenCalled();
    expect(onRequest).not.toHaveBeenCalled();
    expect(states).toEqual(['connecting', 'proving', 'ready']);
  });

  test('signs a challenge only while proving: never a second one, never before the introduction', async () => {
    const onError = jest.fn();
    const { holder, sockets } = setup({ onError });
    sockets[0].receive(challenge.toString('base64'));
    sockets[0].open();
    sockets[0].receive(challenge.toString('base64'));
    await holder.ready();
    sockets[0].receive(challenge.toString('base64'));
    await settle();
    expect(sockets[0].sent).toHaveLength(2);
    expect(onError).toHaveBeenCalledTimes(2);
  });

  test('signs a request that approve accepts, and reports it', async () => {
    const approve = jest.fn(() => Promise.resolve(true));
    const onRequest = jest.fn();
    const { sockets } = setup({ approve, onRequest });
    sockets[0].open();
    sockets[0].receive(request.toString('base64'));
    await settle();
    const received = {
      id: expect.stringMatching(/^v1-\d+$/) as string,
      message: new Uint8Array(request),
      messageBase64: request.toString('base64'),
    };
    expect(approve).toHaveBeenCalledWith(received);
    expect(onRequest).toHaveBeenCalledWith(received);
    expectSigned(sockets[0].sent[1], request);
  });

  test.each([
    ['false', false, DEFAULT_DECLINE_REASON],
    ['a reason', 'amount too large', 'amount too large'],
  ])('sends the decline frame when approve returns %s', async (_name, verdict, reason) => {
    const { sockets } = setup({ approve: () => verdict });
    sockets[0].open();
    sockets[0].receive(request.toString('base64'));
    await settle();
    expect(JSON.parse(sockets[0].sent[1] ?? '')).toEqual({
      type: 'reject',
      message: request.toString('base64'),
      reason,
    });
  });

  test('cuts a long decline reason to 1000 characters, whole characters only', async () => {
    const { sockets } = setup({ approve: () => '\u{1F600}'.repeat(1500) });
    sockets[0].open();
    sockets[0].receive(request.toString('base64'));
    await settle();
    const frame = JSON.parse(sockets[0].sent[1] ?? '') as { reason: string };
    expect(frame.reason).toBe('\u{1F600}'.repeat(1000));
  });

  test('declines, and reports the error, when approve or the signer throws', async () => {
    const onError = jest.fn();
    const signer = jest.fn((): Uint8Array => {
      throw new Error('device unplugged');
    });
    const { sockets } = setup({ secretKey: undefined, signer, publicKey, onError });
    sockets[0].open();
    sockets[0].receive(request.toString('base64'));
    await settle();
    expect(JSON.parse(sockets[0].sent[1] ?? '')).toMatchObject({
      type: 'reject',
      reason: FAILED_DECLINE_REASON,
    });
    expect(onError).toHaveBeenCalledWith(new Error('device unplugged'));
  });

  test('uses an external signer and introduces its public key in compressed form', async () => {
    const uncompressed = secp256k1.getPublicKey(secretKey, false);
    const signer = jest.fn((message: Uint8Array) => Promise.resolve(secp256k1.sign(message, secretKey)));
    const { holder, sockets } = setup({ secretKey: undefined, signer, publicKey: uncompressed });
    sockets[0].open();
    expect(sockets[0].sent[0]).toBe(publicKey);
    sockets[0].receive(request.toString('base64'));
    await settle();
    expectSigned(sockets[0].sent[1], request);
    expect(signer).toHaveBeenCalledTimes(1);
    await holder.close();
  });

  test('refuses bad options', () => {
    const { WebSocket } = fakeWebSocketClass();
    const signer = (): Uint8Array => new Uint8Array(64);
    expect(() => new SigSocketHolder({ url: URL, WebSocket })).toThrow('exactly one');
    expect(() => new SigSocketHolder({ url: URL, WebSocket, secretKey, signer })).toThrow('exactly one');
    expect(() => new SigSocketHolder({ url: URL, WebSocket, signer })).toThrow('publicKey');
    expect(() => new SigSocketHolder({ url: URL, WebSocket, secretKey: new Uint8Array(32) })).toThrow(
      'secretKey',
    );
    expect(() => new SigSocketHolder({ url: 'http://x/ws', WebSocket, secretKey })).toThrow('ws://');
  });

  test('ignores frames that are not base64 text', async () => {
    const onError = jest.fn();
    const { sockets } = setup({ onError });
    sockets[0].open();
    sockets[0].receive('not base64!');
    sockets[0].receive(new Uint8Array([1, 2]));
    await settle();
    expect(sockets[0].sent).toEqual([publicKey]);
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
