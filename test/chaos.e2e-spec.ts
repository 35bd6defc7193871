import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { maxFrameBytes } from '../src/gateway/sigsocket-ws.adapter.js';
import { ErrorCode } from '../src/protocol/error-codes.js';
import { MODULE_VARIABLES } from '../src/config/variables.js';
import { FuzzBody, sampleFuzzBodies } from './support/fuzz-bodies.js';
import {
  CLOSING_KINDS,
  drawKind,
  IGNORED_KINDS,
  ROGUE_KINDS,
  RogueContext,
  RogueKindName,
} from './support/rogue-frames.js';
import { startApp, TestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually, within } from './support/wait.js';

const HONEST_HOLDERS = 50;
const HONEST_WORKERS = 3;
const MIN_HONEST_REQUESTS = 300;
const MAX_HONEST_REQUESTS = 1500;
const ROGUE_CONNECTIONS = 8;
const ROGUE_FRAMES = 10_000;
/** Most ignored frames a rogue connection sends before the violation that closes it. */
const MAX_BURST = 40;
const FUZZ_BODIES = 300;
const FUZZ_WORKERS = 4;
const RUN_MS = 40_000;
const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

interface Signed {
  publicKey: string;
  message: string;
  signature: string;
}

interface ErrorBody {
  statusCode?: unknown;
  error?: unknown;
  message?: unknown;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const anyOf = <T>(items: readonly T[]): T | undefined => items[randomInt(Math.max(1, items.length))];

describe('chaos on express', () => {
  let t: TestApp;
  let honest: TestHolder[] = [];
  const honestCloses: string[] = [];
  /** Base64 messages of honest requests in flight, and the last frames honest holders sent. */
  const inFlight = new Set<string>();
  const honestFrames: string[] = [];
  /** Set when the attack is over (load may stop) or when anything failed (every loop stops). */
  let attackDone = false;
  let failed = false;
  const honestStats = { sent: 0, verified: 0, losses: [] as string[] };
  const rogueStats = { sent: 0, sessions: 0, byKind: new Map<RogueKindName, number>() };
  const badResponses: string[] = [];

  beforeAll(async () => {
    t = await startApp('express', { SIGN_TIMEOUT_MS: '10000' });
    honest = await Promise.all(Array.from({ length: HONEST_HOLDERS }, () => TestHolder.connect(t.ws)));
    for (const holder of honest) {
      void holder.closed.then(({ code }) => honestCloses.push(`${holder.publicKey} closed with ${code}`));
      holder.responder = (frame) => {
        const reply = `${frame}.${b64(holder.signature(Buffer.from(frame, 'base64')))}`;
        if (honestFrames.push(reply) > 256) honestFrames.shift();
        return reply;
      };
    }
    await Promise.all(honest.map((holder) => holder.proven()));
    expect(await t.signing.connectionCount()).toBe(HONEST_HOLDERS);
  });
  afterAll(async () => {
    await Promise.all(honest.map((holder) => holder.close()));
    await t.close();
  });

  const stopOnFailure = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      failed = true;
      throw error;
    });

  /** One honest request to a random holder; a loss is anything but a 200 verified against its key. */
  const honestRequest = async (): Promise<void> => {
    const holder = honest[randomInt(HONEST_HOLDERS)];
    const message = b64(randomBytes(randomInt(8, 64)));
    inFlight.add(message);
    const res = await request(t.http)
      .post('/sign')
      .send({ publicKey: holder.publicKey, message })
      .then((response) => response)
      .finally(() => inFlight.delete(message));
    const body = res.body as Signed;
    const verified =
      res.status === 200 &&
      body.publicKey === holder.publicKey &&
      body.message === message &&
      secp256k1.verify(
        Buffer.from(body.signature, 'base64'),
        Buffer.from(message, 'base64'),
        Buffer.from(holder.publicKey, 'hex'),
      );
    if (verified) honestStats.verified++;
    else honestStats.losses.push(`${res.status} ${JSON.stringify(res.body)}`);
  };
  const honestWorker = async (): Promise<void> => {
    const more = (): boolean =>
      !failed &&
      !(attackDone && honestStats.sent >= MIN_HONEST_REQUESTS) &&
      honestStats.sent < MAX_HONEST_REQUESTS;
    while (more()) {
      honestStats.sent++;
      await honestRequest();
    }
  };

  const rogueContext = (secretKey: Uint8Array): RogueContext => ({
    secretKey,
    frameCap: maxFrameBytes(MODULE_VARIABLES.MAX_MESSAGE_BYTES.default),
    pendingHonest: () => anyOf([...inFlight]),
    honestFrame: () => anyOf(honestFrames),
  });
  const budgetLeft = (): boolean => !failed && rogueStats.sent < ROGUE_FRAMES;
  const sendRogue = (rogue: TestHolder, kind: RogueKindName, context: RogueContext): void => {
    rogue.send(ROGUE_KINDS[kind].make(context));
    rogueStats.sent++;
    rogueStats.byKind.set(kind, (rogueStats.byKind.get(kind) ?? 0) + 1);
  };
  /** A proven connection sends a burst of ignored frames, checks it is still open, then one violation. */
  const rogueSession = async (secretKey: Uint8Array): Promise<void> => {
    const rogue = new TestHolder(t.ws, { secretKey });
    await rogue.open();
    rogue.send(rogue.publicKey);
    await rogue.proven();
    expect(await t.signing.isConnected(rogue.publicKey)).toBe(true);
    rogueStats.sessions++;
    const context = rogueContext(secretKey);
    const burst: RogueKindName[] = [];
    for (let i = randomInt(MAX_BURST + 1); i > 0 && budgetLeft(); i--) {
      burst.push(drawKind(IGNORED_KINDS));
      sendRogue(rogue, burst[burst.length - 1], context);
    }
    await rogue.roundTrip().catch((error: Error) => {
      throw new Error(`after ignored frames [${burst.join(', ')}]: ${error.message}`);
    });
    if (!budgetLeft()) {
      await rogue.close();
      return;
    }
    const kind = drawKind(CLOSING_KINDS);
    sendRogue(rogue, kind, context);
    const closed = await rogue.waitClosed();
    expect(`${kind} closed with ${closed.code}`).toBe(`${kind} closed with ${ROGUE_KINDS[kind].outcome}`);
  };
  const rogueWorker = async (): Promise<void> => {
    const secretKey = secp256k1.utils.randomSecretKey();
    for (let session = 0; session < ROGUE_FRAMES && budgetLeft(); session++) await rogueSession(secretKey);
  };

  /** Every refused body must be a 4xx JSON error with a known code. */
  const fuzzOne = async ({ kind, contentType, body }: FuzzBody): Promise<void> => {
    const res = await request(t.http).post('/sign').set('content-type', contentType).send(body);
    const error = res.body as ErrorBody;
    const ok =
      res.status >= 400 &&
      res.status < 500 &&
      /application\/json/.test(String(res.headers['content-type'])) &&
      error.statusCode === res.status &&
      typeof error.error === 'string' &&
      ERROR_CODES.has(error.error) &&
      typeof error.message === 'string';
    if (!ok) badResponses.push(`${kind} ${contentType} ${JSON.stringify(body)} -> ${res.status} ${res.text}`);
  };
  const fuzzWorker = async (bodies: FuzzBody[]): Promise<void> => {
    for (let body = bodies.shift(); body !== undefined && !failed; body = bodies.shift()) await fuzzOne(body);
  };

  const summary = (ms: number): string => {
    const kinds = [...rogueStats.byKind].map(([kind, count]) => `${kind}=${count}`).join(' ');
    return (
      `chaos (${ms} ms): ${rogueStats.sent} rogue frames over ${rogueStats.sessions} proven sessions ` +
      `(${kinds}); ${FUZZ_BODIES} fuzz bodies; honest requests ${honestStats.sent}, ` +
      `verified ${honestStats.verified}, losses ${honestStats.losses.length}\n`
    );
  };

  it('keeps every honest request verified while rogue frames and bodies pour in', async () => {
    const started = Date.now();
    const bodies = sampleFuzzBodies(FUZZ_BODIES);
    const attack = Promise.all([
      ...Array.from({ length: ROGUE_CONNECTIONS }, () => stopOnFailure(rogueWorker())),
      ...Array.from({ length: FUZZ_WORKERS }, () => stopOnFailure(fuzzWorker(bodies))),
    ]).finally(() => (attackDone = true));
    const load = Array.from({ length: HONEST_WORKERS }, () => stopOnFailure(honestWorker()));
    await within(stopOnFailure(Promise.all([attack, ...load])), RUN_MS, 'the chaos run');
    process.stderr.write(summary(Date.now() - started));

    expect(honestStats.losses).toEqual([]);
    expect(honestStats.sent).toBeGreaterThanOrEqual(MIN_HONEST_REQUESTS);
    expect(honestStats.verified).toBe(honestStats.sent);
    expect(honest.reduce((sum, holder) => sum + holder.received.length, 0)).toBe(honestStats.sent);
    expect(badResponses).toEqual([]);
    expect(rogueStats.sent).toBe(ROGUE_FRAMES);
    expect(honestCloses).toEqual([]);
    expect(t.signing.pendingCount()).toBe(0);
    await eventually(
      async () => (await t.signing.connectionCount()) === HONEST_HOLDERS,
      3000,
      'rogue sessions to go',
    );
    const status = await within(request(t.http).get('/status'), 3000, '/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ connections: HONEST_HOLDERS, pending: 0 });
  }, 60_000);
});
