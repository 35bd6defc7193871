import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { createSigSocketApp } from '../../src/bootstrap.js';
import { loadEnvironment } from '../../src/config/load-environment.js';

// The bench compares SigSocket with a bare baseline; the ratios mean something only while the
// baseline keeps the same contract. This spec sends both the same requests and compares answers.

interface Secp256k1Binding {
  privateKeyVerify(secret: Uint8Array): boolean;
  publicKeyCreate(secret: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(digest: Uint8Array, secret: Uint8Array): { signature: Uint8Array };
}
type Behaviour = 'sign' | 'silent' | 'wrong';

const secp256k1 = createRequire(import.meta.url)('secp256k1/bindings') as Secp256k1Binding;
const BASELINE = 'test/bench/baseline-server.mjs';
const WAIT_MS = 10_000;

function newSecret(): Buffer {
  for (;;) {
    const secret = randomBytes(32);
    if (secp256k1.privateKeyVerify(secret)) return secret;
  }
}
const keyOf = (secret: Buffer): string =>
  Buffer.from(secp256k1.publicKeyCreate(secret, true)).toString('hex');

function answer(secret: Buffer, text: string, behaviour: Behaviour): string {
  const signed = behaviour === 'wrong' ? Buffer.from('something else') : Buffer.from(text, 'base64');
  const { signature } = secp256k1.ecdsaSign(createHash('sha256').update(signed).digest(), secret);
  return `${text}.${Buffer.from(signature).toString('base64')}`;
}

function connectHolder(port: number, secret: Buffer, behaviour: Behaviour): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    const timer = setTimeout(() => reject(new Error('holder did not connect')), WAIT_MS);
    socket.on('message', (data: Buffer) => {
      if (behaviour !== 'silent') socket.send(answer(secret, data.toString(), behaviour));
    });
    socket.once('error', reject);
    socket.once('open', () => {
      clearTimeout(timer);
      socket.send(keyOf(secret));
      resolve(socket);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForConnections(port: number, count: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    try {
      const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as {
        connections: number;
      };
      if (status.connections === count) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server on ${port} never reached ${count} connections`);
}

async function post(
  port: number,
  body: string,
): Promise<{ status: number; error?: string; publicKey?: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const json = (await res.json()) as { error?: string; publicKey?: string };
  return { status: res.status, error: json.error, publicKey: json.publicKey };
}

describe('bench baseline keeps the SigSocket HTTP contract', () => {
  const secrets = { sign: newSecret(), silent: newSecret(), wrong: newSecret() };
  const sockets: WebSocket[] = [];
  let app: INestApplication;
  let baseline: ChildProcess;
  let ports: { sigsocket: number; baseline: number };

  beforeAll(async () => {
    if (!existsSync('dist/protocol/base64.js'))
      throw new Error('the baseline imports dist/: run `npm run build`');
    // The baseline has no proof of possession; silent and wrong holders could not pass it here.
    app = await createSigSocketApp(
      loadEnvironment({ LOG_LEVEL: 'error', PORT: '0', PROOF_OF_POSSESSION: 'false' }),
    );
    await app.listen(0, '127.0.0.1');
    const sigsocketPort = (app.getHttpServer() as { address(): AddressInfo }).address().port;
    const baselinePort = await freePort();
    baseline = spawn(process.execPath, [BASELINE], { env: { ...process.env, PORT: String(baselinePort) } });
    ports = { sigsocket: sigsocketPort, baseline: baselinePort };
    for (const port of Object.values(ports)) {
      await waitForConnections(port, 0);
      for (const behaviour of ['sign', 'silent', 'wrong'] as const) {
        sockets.push(await connectHolder(port, secrets[behaviour], behaviour));
      }
      await waitForConnections(port, 3);
    }
  });

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    baseline?.kill('SIGKILL');
    await app?.close();
  });

  const message = randomBytes(16).toString('base64');
  const cases: Array<[string, () => string, number, string | undefined]> = [
    ['a signed message', () => JSON.stringify({ publicKey: keyOf(secrets.sign), message }), 200, undefined],
    ['malformed JSON', () => '{"publicKey":', 400, 'invalid_request'],
    ['a missing publicKey', () => JSON.stringify({ message }), 400, 'invalid_request'],
    [
      'a message that is not base64',
      () => JSON.stringify({ publicKey: keyOf(secrets.sign), message: 'a*b' }),
      400,
      'invalid_request',
    ],
    [
      'a key off the curve',
      () => JSON.stringify({ publicKey: `02${'f'.repeat(64)}`, message }),
      400,
      'invalid_request',
    ],
    [
      'timeoutMs 0',
      () => JSON.stringify({ publicKey: keyOf(secrets.sign), message, timeoutMs: 0 }),
      400,
      'invalid_request',
    ],
    [
      'an unknown key',
      () => JSON.stringify({ publicKey: keyOf(newSecret()), message }),
      404,
      'not_connected',
    ],
    [
      'a wrong signature',
      () => JSON.stringify({ publicKey: keyOf(secrets.wrong), message }),
      502,
      'invalid_signature',
    ],
    [
      'a silent holder',
      () => JSON.stringify({ publicKey: keyOf(secrets.silent), message, timeoutMs: 200 }),
      504,
      'timeout',
    ],
  ];

  it.each(cases)('answers %s alike', async (_name, body, status, error) => {
    const text = body();
    const [fromSigSocket, fromBaseline] = await Promise.all([
      post(ports.sigsocket, text),
      post(ports.baseline, text),
    ]);
    expect(fromSigSocket).toMatchObject({ status, error });
    expect(fromBaseline).toEqual(fromSigSocket);
  });
});
