#!/usr/bin/env node
// Replays docker/Dockerfile without a Docker engine. This is a replay, not an image build: each
// stage gets a folder standing for its filesystem, COPY copies exactly what the Dockerfile names
// (honouring .dockerignore), the npm RUN steps run as written on the Node major the base image
// names (fetched by scripts/node-runtime.mjs when it is not the machine's), apt-get steps are
// skipped, and the runtime stage's CMD starts on that Node with the Dockerfile's ENV, once on each
// HTTP adapter. Each run passes the HEALTHCHECK command and one full sign round trip with a holder
// that signs with @noble/curves. Only HOST, PORT and HTTP_ADAPTER are overridden, to bind a free
// port on loopback.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { fail, log, parseDockerfile, replayBuild } from './replay/build.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// An alternative Dockerfile path may be given, e.g. to check that a broken one fails.
const DOCKERFILE = resolve(process.argv[2] ?? join(ROOT, 'docker', 'Dockerfile'));
const WORK = mkdtempSync(join(tmpdir(), 'sigsocket-replay-'));
const STEP_TIMEOUT_MS = 20_000;

// ---- The runtime stage ------------------------------------------------------------------------

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function until(label, check) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) fail(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function checkRuntimeStage(stage) {
  if (stage.user === 'root' || stage.user === '0') fail('the runtime stage must run as a non-root USER');
  if (stage.systemPackages.length > 0)
    fail(`the runtime stage installs ${stage.systemPackages.join(', ')}: compilers belong in a build stage`);
  if (stage.cmd === undefined || stage.healthcheck === undefined)
    fail('the runtime stage needs CMD and HEALTHCHECK');
  if (!stage.exposed.includes(stage.env.PORT ?? '')) fail('EXPOSE must match the PORT the image listens on');
  const startScript = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).scripts.start;
  if (stage.cmd.join(' ') !== startScript)
    fail(`CMD must start the server as \`npm start\` does: ${startScript}`);
  const manifest = stage.host('package.json');
  if (!existsSync(manifest) || JSON.parse(readFileSync(manifest, 'utf8')).type !== 'module') {
    fail('the runtime stage needs package.json, which declares dist/ as ES modules');
  }
  // The build stage bundles the demo page; the image carries it even though DEMO=false there.
  if (!existsSync(stage.host('dist/demo-page/index.html')))
    fail('the runtime stage lacks dist/demo-page/index.html: the build stage must bundle the demo');
  for (const devOnly of ['typescript', 'jest', 'eslint']) {
    if (existsSync(stage.host(`node_modules/${devOnly}`)))
      fail(`runtime stage contains dev dependency ${devOnly}`);
  }
}

function start(stage, env) {
  const [command, ...args] = stage.cmd;
  log(
    `start: ${stage.cmd.join(' ')} (HTTP_ADAPTER=${env.HTTP_ADAPTER}, LOG_FORMAT=${env.LOG_FORMAT}, PORT=${env.PORT})`,
  );
  const child = spawn(command === 'node' ? stage.node : command, args, {
    cwd: stage.host('.'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk) => output.push(chunk.toString()));
  child.exited = new Promise((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return { child, output };
}

function healthcheck(stage, env) {
  const [command, ...args] = stage.healthcheck;
  return new Promise((resolveCheck) => {
    const probe = spawn(command === 'node' ? stage.node : command, args, {
      cwd: stage.host('.'),
      env,
      stdio: 'ignore',
    });
    probe.once('exit', (code) => resolveCheck(code === 0));
    probe.once('error', () => resolveCheck(false));
  });
}

async function signRoundTrip(base) {
  const secretKey = secp256k1.utils.randomSecretKey();
  const publicKey = Buffer.from(secp256k1.getPublicKey(secretKey, true)).toString('hex');
  const socket = new WebSocket(`${base.replace('http', 'ws')}/ws`);
  socket.on('message', (data) => {
    const message = data.toString();
    const signature = secp256k1.sign(Buffer.from(message, 'base64'), secretKey);
    socket.send(`${message}.${Buffer.from(signature).toString('base64')}`);
  });
  await new Promise((resolveOpen, reject) => socket.once('open', resolveOpen).once('error', reject));
  socket.send(publicKey);
  try {
    await until(
      'holder registration',
      async () => (await (await fetch(`${base}/connected/${publicKey}`)).json()).connected === true,
    );
    const message = Buffer.from(`replay ${Date.now()}`).toString('base64');
    const response = await fetch(`${base}/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey, message, timeoutMs: 5_000 }),
    });
    const body = await response.json();
    if (response.status !== 200) fail(`POST /sign answered ${response.status}: ${JSON.stringify(body)}`);
    const digestless = Buffer.from(body.message, 'base64');
    const valid = secp256k1.verify(
      Buffer.from(body.signature, 'base64'),
      digestless,
      Buffer.from(publicKey, 'hex'),
    );
    if (body.message !== message || !valid) fail('POST /sign returned a signature that does not verify');
  } finally {
    socket.close();
  }
}

async function exercise(stage, adapter) {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: join(WORK, 'home'),
    ...stage.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    HTTP_ADAPTER: adapter,
  };
  const base = `http://127.0.0.1:${port}`;
  const { child, output } = start(stage, env);
  try {
    await until('the HEALTHCHECK command to pass', () => healthcheck(stage, env));
    log('HEALTHCHECK passed');
    const live = await fetch(`${base}/health/live`);
    if (live.status !== 200) fail(`/health/live answered ${live.status}`);
    await signRoundTrip(base);
    // The image sets DEMO=false: no demo page in a deployment.
    const demo = await fetch(`${base}/demo`);
    if (demo.status !== 404)
      fail(`GET /demo answered ${demo.status} in the image (DEMO=false): expected 404`);
    const status = await (await fetch(`${base}/status`)).json();
    if (status.verifier !== 'native') fail(`expected the native verifier, got ${status.verifier}`);
    log(`${adapter}: sign round trip verified with the native secp256k1 binary`);
  } catch (error) {
    process.stdout.write(output.join(''));
    throw error;
  } finally {
    child.kill('SIGTERM');
  }
  const { code, signal } = await Promise.race([
    child.exited,
    new Promise((r) => setTimeout(() => r({ code: 'hung' }), 10_000).unref()),
  ]);
  // Nest re-raises the signal once its shutdown hooks have run, so SIGTERM is a clean exit too.
  const graceful = output.join('').includes('shutting down');
  if (!(code === 0 || signal === 'SIGTERM') || !graceful) {
    process.stdout.write(output.join(''));
    fail(`the server did not shut down cleanly on SIGTERM (code ${code}, signal ${signal})`);
  }
  log(`stopped on SIGTERM after its shutdown hooks ran`);
  checkJsonLogs(output.join(''), stage.env.LOG_FORMAT);
}

function checkJsonLogs(text, format) {
  if (format !== 'json') return;
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  for (const line of lines) {
    const entry = JSON.parse(line);
    if (typeof entry.level !== 'string' || typeof entry.msg === 'undefined')
      fail(`log line lacks level/msg: ${line}`);
  }
  log(`${lines.length} log lines, each one JSON object`);
}

async function main() {
  const text = readFileSync(DOCKERFILE, 'utf8');
  log(`Dockerfile sha256 ${createHash('sha256').update(text).digest('hex').slice(0, 12)}, work dir ${WORK}`);
  const runtime = replayBuild(parseDockerfile(text), ROOT, WORK);
  checkRuntimeStage(runtime);
  for (const adapter of ['express', 'fastify']) await exercise(runtime, adapter);
  log('replay passed (a replay of the Dockerfile steps, not an image build)');
}

try {
  await main();
} catch (error) {
  process.stderr.write(`[replay] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  if (process.env.SIGSOCKET_REPLAY_KEEP === undefined) rmSync(WORK, { recursive: true, force: true });
}
