import { jest } from '@jest/globals';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { proofMessage } from '../protocol/v2-frames.js';
import { generateSecretKey } from './generate-secret-key.js';
import type { HolderRequest } from './holder-options.interface.js';
import {
  URL,
  secretKey,
  publicKey,
  NONCE,
  message,
  frames,
  signRequest,
  setup,
  handshake,
  settle,
  expectSignedResponse,
} from '../../test/support/v2-sdk-setup.js';

describe('SigSocketHolder, protocol v2', () => {
  test('offers sigsocket.v2, says hello, proves its own URL, and is ready only on ready', async () => {
    const states: string[] = [];
    const { holder, sockets } = setup({ onStateChange: (state) => states.push(state) });
    expect(sockets[0].protocols).toEqual(['sigsocket.v2']);
    handshake(sockets[0]);
    await settle();
    const [hello, proof] = frames(sockets[0]);
    expect(hello).toEqual({ type: 'hello', publicKey });
    expect(proof).toMatchObject({ type: 'proof', url: URL });
    const signature = Buffer.from(String(proof.signature), 'base64');
    expect(secp256k1.verify(signature, proofMessage(URL, NONCE), Buffer.from(publicKey, 'hex'))).toBe(true);
    expect(holder.state).toBe('proving');
    const ready = holder.ready();
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    await ready;
    expect(states).toEqual(['connecting', 'proving', 'ready']);
  });

  test('signs a challenge only while proving, and only once', async () => {
    const onError = jest.fn();
    const { sockets } = setup({ onError });
    handshake(sockets[0]);
    sockets[0].receive(JSON.stringify({ type: 'challenge', nonce: 'b3RoZXI=' }));
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    sockets[0].receive(JSON.stringify({ type: 'challenge', nonce: 'bGF0ZXI=' }));
    await settle();
    expect(frames(sockets[0]).filter((frame) => frame.type === 'proof')).toHaveLength(1);
    expect(onError).toHaveBeenCalledTimes(2);
  });

  test('ignores requests before ready', async () => {
    const approve = jest.fn(() => true);
    const { sockets } = setup({ approve, onError: () => undefined });
    sockets[0].open();
    sockets[0].receive(signRequest('early'));
    await settle();
    expect(approve).not.toHaveBeenCalled();
    expect(frames(sockets[0]).map((frame) => frame.type)).toEqual(['hello']);
  });

  test('approve gets the request with its id, deadline and caller; the answer names the id', async () => {
    const approve = jest.fn((_request: HolderRequest) => Promise.resolve(true));
    const { sockets } = setup({ approve });
    handshake(sockets[0]);
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    const before = Date.now();
    sockets[0].receive(signRequest('r1', 30_000, 'billing'));
    await settle();
    const request = approve.mock.calls[0]?.[0];
    expect(request).toMatchObject({ id: 'r1', messageBase64: message.toString('base64'), caller: 'billing' });
    expect(request?.deadline).toBeGreaterThanOrEqual(before + 30_000);
    expectSignedResponse(frames(sockets[0]).at(-1), 'r1');
  });

  test('declines by id with the reason', async () => {
    const { sockets } = setup({ approve: () => 'not today' });
    handshake(sockets[0]);
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    sockets[0].receive(signRequest('r2'));
    await settle();
    expect(frames(sockets[0]).at(-1)).toEqual({ type: 'reject', id: 'r2', reason: 'not today' });
  });

  test('prompts once for a request sent again while pending, and answers a repeat of an answered one unasked', async () => {
    let resolve: (verdict: boolean) => void = () => undefined;
    const approve = jest.fn(() => new Promise<boolean>((r) => (resolve = r)));
    const { sockets } = setup({ approve });
    handshake(sockets[0]);
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    sockets[0].receive(signRequest('r3'));
    sockets[0].receive(signRequest('r3'));
    await settle();
    expect(approve).toHaveBeenCalledTimes(1);
    resolve(true);
    await settle();
    sockets[0].receive(signRequest('r3'));
    await settle();
    expect(approve).toHaveBeenCalledTimes(1);
    const responses = frames(sockets[0]).filter((frame) => frame.type === 'sign_response');
    expect(responses).toHaveLength(2);
    expect(responses[1]).toEqual(responses[0]);
  });

  test('drops a pending approval on cancel and tells onCancel; a late yes signs nothing', async () => {
    let resolve: (verdict: boolean) => void = () => undefined;
    const onCancel = jest.fn();
    const { sockets } = setup({ approve: () => new Promise<boolean>((r) => (resolve = r)), onCancel });
    handshake(sockets[0]);
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    sockets[0].receive(signRequest('r4'));
    await settle();
    sockets[0].receive(JSON.stringify({ type: 'cancel', id: 'r4', reason: 'timeout' }));
    expect(onCancel).toHaveBeenCalledWith(expect.objectContaining({ id: 'r4' }), 'timeout');
    resolve(true);
    await settle();
    expect(frames(sockets[0]).map((frame) => frame.type)).toEqual(['hello', 'proof']);
  });

  test('reports the server notices about an answer', () => {
    const onError = jest.fn();
    const { sockets } = setup({ onError });
    handshake(sockets[0]);
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    sockets[0].receive(JSON.stringify({ type: 'error', id: 'x', code: 'unknown_request', message: 'gone' }));
    expect(onError).toHaveBeenCalledWith(new Error('the server says about request x: unknown_request: gone'));
  });

  test('close() drops pending approvals', async () => {
    const onCancel = jest.fn();
    const { holder, sockets } = setup({ approve: () => new Promise<boolean>(() => undefined), onCancel });
    handshake(sockets[0]);
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    sockets[0].receive(signRequest('r5'));
    await holder.close();
    expect(onCancel).toHaveBeenCalledWith(expect.objectContaining({ id: 'r5' }), 'withdrawn');
  });

  test('generateSecretKey gives distinct valid secret keys', () => {
    const a = generateSecretKey();
    expect(a).toHaveLength(32);
    expect(secp256k1.utils.isValidSecretKey(a)).toBe(true);
    expect(Buffer.from(generateSecretKey())).not.toEqual(Buffer.from(a));
  });
});

describe('SigSocketHolder, protocol v2 deadlines', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  test('expires an approval at its deadline and never signs it', async () => {
    let resolve: (verdict: boolean) => void = () => undefined;
    const onCancel = jest.fn();
    const { sockets } = setup({ approve: () => new Promise<boolean>((r) => (resolve = r)), onCancel });
    handshake(sockets[0]);
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    sockets[0].receive(signRequest('d1', 1000));
    await jest.advanceTimersByTimeAsync(999);
    expect(onCancel).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(onCancel).toHaveBeenCalledWith(expect.objectContaining({ id: 'd1' }), 'expired');
    resolve(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(frames(sockets[0]).map((frame) => frame.type)).toEqual(['hello', 'proof']);
  });

  test('does not call the signer when approve answers after the deadline', async () => {
    const signer = jest.fn((bytes: Uint8Array) => secp256k1.sign(bytes, secretKey));
    const onCancel = jest.fn();
    const approve = (): Promise<boolean> =>
      new Promise((resolve) => {
        jest.setSystemTime(Date.now() + 5000);
        resolve(true);
      });
    const { sockets } = setup({ secretKey: undefined, signer, publicKey, approve, onCancel });
    handshake(sockets[0]);
    await jest.advanceTimersByTimeAsync(0);
    sockets[0].receive(JSON.stringify({ type: 'ready', publicKey }));
    signer.mockClear();
    sockets[0].receive(signRequest('d2', 1000));
    await jest.advanceTimersByTimeAsync(0);
    expect(signer).not.toHaveBeenCalled();
    expect(onCancel).toHaveBeenCalledWith(expect.objectContaining({ id: 'd2' }), 'expired');
    expect(frames(sockets[0]).map((frame) => frame.type)).toEqual(['hello', 'proof']);
  });
});
