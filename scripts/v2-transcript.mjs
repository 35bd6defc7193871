// Prints a protocol v2 session between a key holder and the built server, frame by frame, from a
// real run: `npm run build && node scripts/v2-transcript.mjs`. docs/PROTOCOL.md shows its output.
// The holder uses the example key (secret key 1): anyone can sign with it, never use it for real.
import 'reflect-metadata';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import WebSocket from 'ws';
import { createSigSocketApp } from '../dist/bootstrap.js';
import { loadEnvironment } from '../dist/config/load-environment.js';
import { proofMessage } from '../dist/protocol/v2-frames.js';

const secretKey = new Uint8Array(32);
secretKey[31] = 1;
const publicKey = Buffer.from(secp256k1.getPublicKey(secretKey, true)).toString('hex');
const b64 = (bytes) => Buffer.from(bytes).toString('base64');

const app = await createSigSocketApp(loadEnvironment({ LOG_LEVEL: 'error' }));
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
const url = `ws://127.0.0.1:${port}/ws`;
const http = `http://127.0.0.1:${port}`;
const lines = [];
const print = (line) => lines.push(line);

const socket = new WebSocket(url, ['sigsocket.v2']);
const inbox = [];
const waiters = [];
socket.on('message', (data) => {
  const text = data.toString();
  print(`server → holder  ${text}`);
  inbox.push(JSON.parse(text));
  for (const waiter of waiters.splice(0)) waiter();
});
const next = async (type) => {
  for (;;) {
    const index = inbox.findIndex((frame) => frame.type === type);
    if (index >= 0) return inbox.splice(index, 1)[0];
    await new Promise((resolve) => waiters.push(resolve));
  }
};
const send = (frame) => {
  const text = JSON.stringify(frame);
  print(`holder → server  ${text}`);
  socket.send(text);
};
const sign = async (text, timeoutMs) => {
  const body = JSON.stringify({
    publicKey,
    message: b64(Buffer.from(text)),
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  print(`caller → server  POST /sign ${body}`);
  const res = await fetch(`${http}/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return async () => print(`server → caller  ${res.status} ${await res.text()}`);
};

try {
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  print(
    `holder opens ${url} offering Sec-WebSocket-Protocol: sigsocket.v2; the server answers ${socket.protocol}`,
  );
  send({ type: 'hello', publicKey });
  const { nonce } = await next('challenge');
  send({ type: 'proof', url, signature: b64(secp256k1.sign(proofMessage(url, nonce), secretKey)) });
  await next('ready');

  const signed = sign('hello');
  const first = await next('sign_request');
  send({
    type: 'sign_response',
    id: first.id,
    signature: b64(secp256k1.sign(Buffer.from(first.message, 'base64'), secretKey)),
  });
  await (
    await signed
  )();

  const declined = sign('transfer everything');
  const second = await next('sign_request');
  send({ type: 'reject', id: second.id, reason: 'not this one' });
  await (
    await declined
  )();

  const slow = sign('too slow', 500);
  const third = await next('sign_request');
  await next('cancel');
  await (
    await slow
  )();
  send({
    type: 'sign_response',
    id: third.id,
    signature: b64(secp256k1.sign(Buffer.from(third.message, 'base64'), secretKey)),
  });
  await next('error');
  socket.close(1000);
  const [code] = await new Promise((resolve) => socket.once('close', (...args) => resolve(args)));
  print(`holder closes; close code ${code}`);
} finally {
  await app.close();
}
console.log(lines.join('\n'));
