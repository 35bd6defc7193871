// HTTP load: C callers POST /sign over a keep-alive node:http Agent (maxSockets = C), each time
// with a random holder key and a distinct random 32-byte message.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { HOST, closedLoop } from './lib.mjs';

const REQUEST_TIMEOUT_MS = 60_000;

function post(agent, port, body) {
  return new Promise((done, fail) => {
    const req = http.request(
      {
        agent,
        host: HOST,
        port,
        method: 'POST',
        path: '/sign',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode, text }));
        res.on('error', fail);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** One POST /sign with a random holder key and message: null when it verified, else a label. */
async function signOnce(agent, port, keys) {
  const publicKey = keys[Math.floor(Math.random() * keys.length)];
  const message = randomBytes(32).toString('base64');
  let reply;
  try {
    reply = await post(agent, port, JSON.stringify({ publicKey, message }));
  } catch (error) {
    return `net:${error.code ?? error.message}`;
  }
  let body;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return `${reply.status} unparsable`;
  }
  if (reply.status !== 200) return `${reply.status} ${body.error}`;
  return body.publicKey === publicKey && body.message === message && typeof body.signature === 'string'
    ? null
    : '200 bad_response';
}

function callerAgent(callers) {
  return new http.Agent({ keepAlive: true, maxSockets: callers, maxFreeSockets: callers });
}

/** Runs the closed loop against `port`; returns raw latencies and errors by label. */
export async function runHttpLoad(port, keys, { callers, seconds, warmup }) {
  const agent = callerAgent(callers);
  try {
    return await closedLoop({ callers, seconds, warmup, callOnce: () => signOnce(agent, port, keys) });
  } finally {
    agent.destroy();
  }
}

/** Exactly `signs` requests from `callers` concurrent callers; resolves with how many failed. */
export async function runSignCount(port, keys, { callers, signs }) {
  const agent = callerAgent(callers);
  let left = signs;
  let failed = 0;
  const loop = async () => {
    while (left > 0) {
      left--;
      if ((await signOnce(agent, port, keys)) !== null) failed++;
    }
  };
  try {
    await Promise.all(Array.from({ length: callers }, loop));
    return { failed };
  } finally {
    agent.destroy();
  }
}
