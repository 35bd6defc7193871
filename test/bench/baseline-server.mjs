// Bare baseline: SigSocket's v1 holder protocol and HTTP contract on node:http and ws, no framework.
// It does the same work per request as SigSocket: reads and parses the JSON body, validates every
// field, normalises the key on the curve (libsecp256k1), arms a timeout per request, matches the
// answer by message, verifies every signature (SHA-256, strict DER or compact, range, high-S
// normalisation) and replies with the same JSON. The pure protocol helpers and the native backend
// are SigSocket's own (dist/), because they have no Nest in them; its pending requests are a small
// FIFO by message of its own (baseline-pending.mjs), the work v1 matching does in SigSocket.
// Configured like the product: HOST, PORT, SIGN_TIMEOUT_MS, MAX_SIGN_TIMEOUT_MS,
// HEARTBEAT_INTERVAL_MS, HANDSHAKE_TIMEOUT_MS.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { encodeBase64, isStandardBase64 } from '../../dist/protocol/base64.js';
import { parseHolderFrame } from '../../dist/protocol/holder-frame.js';
import { isCanonicalKeyId, parsePublicKeyHex, toKeyId } from '../../dist/protocol/public-key.js';
import {
  CURVE_ORDER,
  isHighS,
  scalarsInRange,
  toCompactSignature,
} from '../../dist/protocol/signature-encoding.js';
import { PendingRequests } from './baseline-pending.mjs';
import { NativeVerifierBackend } from '../../dist/verification/native-verifier.backend.js';

const int = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const HOST = process.env.HOST || '127.0.0.1';
const PORT = int('PORT', 8080);
const SIGN_TIMEOUT_MS = int('SIGN_TIMEOUT_MS', 30_000);
const MAX_SIGN_TIMEOUT_MS = int('MAX_SIGN_TIMEOUT_MS', 120_000);
const HEARTBEAT_INTERVAL_MS = int('HEARTBEAT_INTERVAL_MS', 30_000);
const HANDSHAKE_TIMEOUT_MS = int('HANDSHAKE_TIMEOUT_MS', 10_000);
const BODY_LIMIT = 100 * 1024;
const ORDER = BigInt(`0x${Buffer.from(CURVE_ORDER).toString('hex')}`);

const backend = new NativeVerifierBackend();
const holders = new Map(); // keyId -> session
const sessions = new Set();
const pending = new PendingRequests();
const startedAt = Date.now();
let nextId = 0;

class Failure extends Error {
  constructor(statusCode, error, message) {
    super(message);
    this.statusCode = statusCode;
    this.error = error;
  }
}

// ---- keys and signatures --------------------------------------------------------------------

function normalizeKey(text) {
  const parsed = parsePublicKeyHex(text);
  if (!parsed.ok) return parsed;
  const compressed = backend.compressPublicKey(parsed.bytes);
  if (compressed === null) return { ok: false, reason: 'not a point on secp256k1' };
  return { ok: true, id: toKeyId(compressed), compressed };
}

function negateS(compact) {
  const s = BigInt(`0x${Buffer.from(compact.subarray(32)).toString('hex')}`);
  const out = new Uint8Array(64);
  out.set(compact.subarray(0, 32));
  out.set(Buffer.from((ORDER - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}

function verify(message, signature, compressedKey) {
  const compact = toCompactSignature(signature);
  if (compact === null || !scalarsInRange(compact)) return false;
  const lowS = isHighS(compact) ? negateS(compact) : compact;
  const digest = createHash('sha256').update(message).digest();
  return backend.verify(digest, lowS, compressedKey);
}

// ---- HTTP -----------------------------------------------------------------------------------

function reply(res, statusCode, body) {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function fail(res, failure) {
  reply(res, failure.statusCode, {
    statusCode: failure.statusCode,
    error: failure.error,
    message: failure.message,
  });
}

const invalid = (message) => new Failure(400, 'invalid_request', message);

function validateSignRequest(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('body must be a JSON object');
  const { publicKey, message, timeoutMs } = body;
  if (typeof publicKey !== 'string' || publicKey.length === 0)
    throw invalid('publicKey must be a non-empty string');
  if (typeof message !== 'string' || message.length === 0)
    throw invalid('message must be a non-empty string');
  if (!isStandardBase64(message)) throw invalid('message must be standard base64');
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1)) {
    throw invalid('timeoutMs must be an integer not less than 1');
  }
  if (timeoutMs !== undefined && timeoutMs > MAX_SIGN_TIMEOUT_MS) {
    throw invalid(`timeoutMs must be an integer from 1 to ${MAX_SIGN_TIMEOUT_MS}`);
  }
  return { publicKey, message, timeoutMs: timeoutMs ?? SIGN_TIMEOUT_MS };
}

function resolveKeyId(publicKey) {
  if (isCanonicalKeyId(publicKey) && holders.has(publicKey)) return publicKey;
  const key = normalizeKey(publicKey);
  if (!key.ok) throw invalid('publicKey is not a valid secp256k1 public key');
  return key.id;
}

function startSign(res, body) {
  const request = validateSignRequest(body);
  const keyId = resolveKeyId(request.publicKey);
  const holder = holders.get(keyId);
  if (holder === undefined) throw new Failure(404, 'not_connected', 'no holder is connected for that key');
  const message = Buffer.from(request.message, 'base64');
  const entry = { keyId, messageBase64: encodeBase64(message), message, subscriber: res, timer: undefined };
  pending.add(entry);
  entry.timer = setTimeout(() => {
    if (pending.remove(entry)) {
      fail(res, new Failure(504, 'timeout', `no valid answer within ${request.timeoutMs} ms`));
    }
  }, request.timeoutMs);
  holder.send(entry.messageBase64);
}

function readJson(req, res, then) {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) return fail(res, invalid('content-type must be application/json'));
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > BODY_LIMIT) {
      fail(res, invalid('request entity too large'));
      req.destroy();
    } else chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > BODY_LIMIT) return;
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      return fail(res, invalid(error.message));
    }
    try {
      then(body);
    } catch (error) {
      if (error instanceof Failure) fail(res, error);
      else fail(res, new Failure(500, 'internal_error', 'internal error'));
    }
  });
}

function route(req, res) {
  const path = req.url.split('?', 1)[0];
  if (req.method === 'POST' && path === '/sign') return readJson(req, res, (body) => startSign(res, body));
  if (req.method === 'GET' && path === '/status') {
    return reply(res, 200, {
      connections: holders.size,
      pending: pending.size,
      uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
      verifier: 'native',
      lowS: false,
    });
  }
  if (req.method === 'GET' && path.startsWith('/connected/')) {
    try {
      return reply(res, 200, { connected: holders.has(resolveKeyId(decodeURIComponent(path.slice(11)))) });
    } catch (error) {
      return fail(res, error instanceof Failure ? error : invalid('bad key'));
    }
  }
  fail(res, new Failure(404, 'not_found', 'no such route'));
}

// ---- WebSocket ------------------------------------------------------------------------------

class Session {
  constructor(socket) {
    this.id = `c${(++nextId).toString(36)}`;
    this.socket = socket;
    this.keyId = '';
    this.publicKey = null;
    this.alive = true;
    this.closing = false;
    this.handshakeTimer = setTimeout(
      () => this.close(1008, 'no introduction within the handshake timeout'),
      HANDSHAKE_TIMEOUT_MS,
    );
    this.handshakeTimer.unref();
  }

  send(frame) {
    if (!this.closing) this.socket.send(frame);
  }

  close(code, reason) {
    if (this.closing) return;
    this.closing = true;
    this.socket.close(code, reason.slice(0, 123));
  }
}

function introduce(session, text) {
  const key = normalizeKey(text);
  if (!key.ok) return session.close(1008, `invalid public key: ${key.reason}`);
  clearTimeout(session.handshakeTimer);
  session.keyId = key.id;
  session.publicKey = key.compressed;
  const previous = holders.get(key.id);
  holders.set(key.id, session);
  if (previous !== undefined && previous !== session)
    previous.close(4001, 'replaced by a newer connection for the same key');
  for (const request of pending.forKey(key.id)) session.send(request.messageBase64);
}

function onResponse(session, frame) {
  const request = pending.take(session.keyId, frame.messageBase64);
  if (request === undefined) return;
  clearTimeout(request.timer);
  if (verify(request.message, frame.signature, session.publicKey)) {
    reply(request.subscriber, 200, {
      publicKey: session.keyId,
      message: encodeBase64(request.message),
      signature: frame.signatureBase64,
    });
  } else {
    fail(
      request.subscriber,
      new Failure(502, 'invalid_signature', 'the holder answered with an invalid signature'),
    );
  }
}

function onFrame(session, data, isBinary) {
  if (session.closing) return;
  if (isBinary) return session.close(1003, 'binary frames are not supported');
  const text = data.toString();
  if (session.keyId === '') return introduce(session, text);
  const frame = parseHolderFrame(text);
  if (frame.kind === 'error') return session.close(1008, frame.reason);
  onResponse(session, frame);
}

function onClose(session) {
  clearTimeout(session.handshakeTimer);
  sessions.delete(session);
  session.closing = true;
  if (session.keyId === '' || holders.get(session.keyId) !== session) return;
  holders.delete(session.keyId);
  for (const request of pending.takeAll(session.keyId)) {
    clearTimeout(request.timer);
    fail(request.subscriber, new Failure(502, 'client_disconnected', 'the holder disconnected'));
  }
}

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (socket) => {
  const session = new Session(socket);
  sessions.add(session);
  socket.on('error', () => {});
  socket.on('message', (data, isBinary) => onFrame(session, data, isBinary));
  socket.on('pong', () => (session.alive = true));
  socket.once('close', () => onClose(session));
});

const heartbeat = setInterval(() => {
  for (const session of sessions) {
    if (!session.alive) {
      session.socket.terminate();
      continue;
    }
    session.alive = false;
    session.socket.ping();
  }
}, HEARTBEAT_INTERVAL_MS);
heartbeat.unref();

const server = http.createServer(route);
server.on('upgrade', (req, socket, head) => {
  if (req.url.split('?', 1)[0] !== '/ws') return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(PORT, HOST, () => console.error(`baseline listening on http://${HOST}:${PORT}`));
