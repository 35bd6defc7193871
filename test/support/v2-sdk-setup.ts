import { expect } from '@jest/globals';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { SigSocketHolderOptions } from '../../src/client/holder-options.interface.js';
import { generateSecretKey } from '../../src/client/generate-secret-key.js';
import { SigSocketHolder } from '../../src/client/sigsocket-holder.js';
import { fakeWebSocketClass, type FakeWebSocket } from './fake-web-socket.js';

/** The SDK's v2 holder on a fake WebSocket, for its unit specs. */
export const URL = 'ws://127.0.0.1:1/ws';
export const secretKey = generateSecretKey();
export const publicKey = Buffer.from(secp256k1.getPublicKey(secretKey, true)).toString('hex');
export const NONCE = Buffer.alloc(32, 5).toString('base64');
export const message = Buffer.from('pay 10 to alice');

export const frames = (socket: FakeWebSocket): Record<string, unknown>[] =>
  socket.sent.map((text) => JSON.parse(text) as Record<string, unknown>);
export const signRequest = (id: string, expiresInMs = 30_000, caller?: string): string =>
  JSON.stringify({
    type: 'sign_request',
    id,
    message: message.toString('base64'),
    deadline: Date.now() + expiresInMs,
    expiresInMs,
    ...(caller === undefined ? {} : { caller }),
  });

export function setup(options: Partial<SigSocketHolderOptions> = {}): {
  holder: SigSocketHolder;
  sockets: FakeWebSocket[];
} {
  const { WebSocket, sockets } = fakeWebSocketClass();
  const holder = new SigSocketHolder({ url: URL, secretKey, WebSocket, reconnect: false, ...options });
  return { holder: holder.start(), sockets };
}

/** Opens the socket and plays the server's handshake up to `ready`. */
export function handshake(socket: FakeWebSocket): void {
  socket.open();
  socket.receive(JSON.stringify({ type: 'challenge', nonce: NONCE }));
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

export function expectSignedResponse(frame: Record<string, unknown> | undefined, id: string): void {
  expect(frame).toMatchObject({ type: 'sign_response', id });
  const signature = Buffer.from(String(frame?.signature), 'base64');
  expect(secp256k1.verify(signature, message, Buffer.from(publicKey, 'hex'))).toBe(true);
}
