// Holder fleet: connects K holders to a /ws URL, introduces each with a fresh key, and signs every
// request with libsecp256k1 (`secp256k1/bindings`, never the JS fallback) over SHA-256(message).
// Usage: node holders.mjs <ws-url> <count> [v1|v2]. Reports {type:'ready', keys, failed} over IPC.
// v1 signs every frame, the challenge included; v2 proves the URL, then answers requests by id.
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';

const require = createRequire(import.meta.url);
const secp256k1 = require('secp256k1/bindings');

const [url, countText, protocol = 'v1'] = process.argv.slice(2);
const count = Number(countText);
const CONNECT_CONCURRENCY = 200;
const CONNECT_ATTEMPTS = 5;
const CONNECT_TIMEOUT_MS = 15_000;

process.on('disconnect', () => process.exit(0));
process.on('message', (msg) => {
  if (msg?.cmd === 'exit') process.exit(0);
  if (msg?.cmd === 'stats') process.send({ type: 'stats', signed, closed, badFrames });
});

let signed = 0;
let closed = 0;
let badFrames = 0;
const sockets = [];

function newKey() {
  for (;;) {
    const secret = randomBytes(32);
    if (secp256k1.privateKeyVerify(secret)) {
      return { secret, publicHex: Buffer.from(secp256k1.publicKeyCreate(secret, true)).toString('hex') };
    }
  }
}

function signBytes(secret, message) {
  const digest = createHash('sha256').update(message).digest();
  const { signature } = secp256k1.ecdsaSign(digest, secret);
  return Buffer.from(signature.buffer, signature.byteOffset, 64).toString('base64');
}

function sign(secret, text) {
  const message = Buffer.from(text, 'base64');
  if (message.length === 0) {
    badFrames++;
    return null;
  }
  signed++;
  return `${text}.${signBytes(secret, message)}`;
}

/** The v2 answer to a server frame, or null. */
function answerV2(secret, text) {
  const frame = JSON.parse(text);
  if (frame.type === 'challenge') {
    const proof = Buffer.from(`sigsocket:proof:v2\n${url}\n${frame.nonce}`);
    return JSON.stringify({ type: 'proof', url, signature: signBytes(secret, proof) });
  }
  if (frame.type !== 'sign_request') return null;
  const message = Buffer.from(frame.message, 'base64');
  if (message.length === 0) {
    badFrames++;
    return null;
  }
  signed++;
  return `{"type":"sign_response","id":${JSON.stringify(frame.id)},"signature":"${signBytes(secret, message)}"}`;
}

function connectOnce(key) {
  return new Promise((done, fail) => {
    const offer = protocol === 'v2' ? ['sigsocket.v2'] : [];
    const socket = new WebSocket(url, offer, {
      perMessageDeflate: false,
      handshakeTimeout: CONNECT_TIMEOUT_MS,
    });
    socket.once('open', () => {
      socket.send(
        protocol === 'v2' ? JSON.stringify({ type: 'hello', publicKey: key.publicHex }) : key.publicHex,
      );
      socket.off('error', fail);
      socket.on('error', () => {});
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        const answer =
          protocol === 'v2' ? answerV2(key.secret, data.toString()) : sign(key.secret, data.toString());
        if (answer !== null) socket.send(answer);
      });
      socket.once('close', () => closed++);
      sockets.push(socket);
      done();
    });
    socket.once('error', fail);
  });
}

async function connect(key) {
  for (let attempt = 1; ; attempt++) {
    try {
      await connectOnce(key);
      return true;
    } catch (error) {
      if (attempt >= CONNECT_ATTEMPTS) {
        console.error(`holder connect failed: ${error.message}`);
        return false;
      }
      await new Promise((done) => setTimeout(done, 50 * attempt));
    }
  }
}

async function main() {
  const keys = Array.from({ length: count }, newKey);
  let next = 0;
  let failed = 0;
  const connected = [];
  async function worker() {
    while (next < keys.length) {
      const key = keys[next++];
      if (await connect(key)) connected.push(key.publicHex);
      else failed++;
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, count) }, worker));
  process.send({ type: 'ready', keys: connected, failed });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
