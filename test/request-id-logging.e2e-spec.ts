import request from 'supertest';
import { OutputCapture } from './support/output-capture.js';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { HolderList } from './support/test-holder.js';

interface LogLine {
  level: string;
  time: string;
  context: string;
  msg: unknown;
  requestId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MESSAGE = Buffer.from('logging e2e').toString('base64');

describe.each(ADAPTERS)('request ids and JSON logs on %s', (adapter) => {
  let t: TestApp;
  let output: OutputCapture;
  const holders = new HolderList();

  function logLines(): LogLine[] {
    return output.lines().map((line) => JSON.parse(line) as LogLine);
  }

  beforeEach(async () => {
    output = new OutputCapture();
    t = await startApp(adapter, { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' });
  });

  afterEach(async () => {
    try {
      await holders.closeAll();
      await t.close();
    } finally {
      output.restore();
    }
  });

  it('returns a safe incoming X-Request-Id and replaces an unsafe or missing one', async () => {
    for (const path of ['/status', '/connected/nope', '/no-such-route', '/health/live']) {
      const echoed = await request(t.http).get(path).set('X-Request-Id', 'trace-123:abc.DEF_9');
      expect(echoed.headers['x-request-id']).toBe('trace-123:abc.DEF_9');
    }
    for (const unsafe of ['has spaces', '<script>', 'x'.repeat(129), 'ünïcode']) {
      const replaced = await request(t.http).get('/status').set('X-Request-Id', unsafe);
      expect(replaced.headers['x-request-id']).toMatch(UUID);
    }
    const generated = await request(t.http).get('/status');
    expect(generated.headers['x-request-id']).toMatch(UUID);
  });

  it('writes one JSON object per line, and tags the lines about a sign request with its id', async () => {
    const signer = await holders.register(t.ws);
    const forger = await holders.register(t.ws, 'wrong-key');
    await request(t.http)
      .post('/sign')
      .set('X-Request-Id', 'sign-ok-1')
      .send({ publicKey: signer.publicKey, message: MESSAGE })
      .expect(200)
      .expect('X-Request-Id', 'sign-ok-1');
    await request(t.http)
      .post('/sign')
      .set('X-Request-Id', 'sign-forged-1')
      .send({ publicKey: forger.publicKey, message: MESSAGE })
      .expect(502);

    const lines = logLines();
    for (const line of lines) {
      expect([typeof line.level, typeof line.time, typeof line.context]).toEqual([
        'string',
        'string',
        'string',
      ]);
      expect(line).toHaveProperty('msg');
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    }
    const about = (id: string) => lines.filter((line) => line.requestId === id).map((line) => line.msg);
    const okLines = about('sign-ok-1').map(String);
    expect(okLines.some((msg) => /^\[c\w+\] sign request sent$/.test(msg))).toBe(true);
    expect(okLines.some((msg) => /^\[c\w+\] signature verified$/.test(msg))).toBe(true);
    const forged = lines.find((line) => line.requestId === 'sign-forged-1' && line.level === 'warn');
    expect(forged?.context).toBe('SigningService');
    expect(String(forged?.msg)).toMatch(/^\[c\w+\] signature did not verify$/);
    expect(
      lines.some(
        (line) =>
          line.context === 'SigSocketGateway' && /^\[c\w+\] holder registered \(v1\)$/.test(String(line.msg)),
      ),
    ).toBe(true);
  });

  it('keeps keys, messages and signatures out of info-level lines and above', async () => {
    const signer = await holders.register(t.ws);
    await request(t.http).post('/sign').send({ publicKey: signer.publicKey, message: MESSAGE }).expect(200);
    await signer.close();
    expect(signer.sent).toHaveLength(1);
    const secrets = [signer.publicKey, MESSAGE, ...signer.sent.map((frame) => frame.split('.')[1] ?? '')];
    const loud = logLines().filter((line) => !['debug', 'verbose'].includes(line.level));
    expect(loud.length).toBeGreaterThan(0);
    for (const line of loud) {
      for (const secret of secrets) expect(JSON.stringify(line)).not.toContain(secret);
    }
  });
});
