import request from 'supertest';
import { sampleValue } from './support/metrics-text.js';
import { OutputCapture } from './support/output-capture.js';
import { upgradeStatus } from './support/raw-client.js';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';

interface LogLine {
  level: string;
  context: string;
  msg: unknown;
}

describe.each(ADAPTERS)('failed handshakes on %s', (adapter) => {
  let t: TestApp;
  let output: OutputCapture;

  beforeEach(async () => {
    output = new OutputCapture();
    t = await startApp(adapter, {
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      ALLOWED_ORIGINS: 'https://app.example',
    });
  });
  afterEach(async () => {
    try {
      await t.close();
    } finally {
      output.restore();
    }
  });

  it('are logged at debug level only, and counted by reason', async () => {
    const before = output.lines().length;
    const badKey = await TestHolder.connect(t.ws, () => 'not-a-key');
    expect((await badKey.waitClosed()).code).toBe(1008);
    const forger = new TestHolder(t.ws);
    forger.proof = 'wrong-key';
    await forger.open();
    forger.send(forger.publicKey);
    expect((await forger.waitClosed()).code).toBe(1008);
    const binary = new TestHolder(t.ws);
    await binary.open();
    binary.send(Buffer.from([1, 2, 3]));
    expect((await binary.waitClosed()).code).toBe(1003);
    expect(await upgradeStatus(t.ws, 'https://evil.example')).toBe(403);

    const lines = output
      .lines()
      .slice(before)
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => /Gateway|WsAdapter/.test(line.context));
    expect(lines.filter((line) => line.level !== 'debug')).toEqual([]);
    expect(lines.map((line) => String(line.msg)).join('\n')).toMatch(/handshake failed \(proof_failed\)/);

    const metrics = (await request(t.http).get('/metrics').expect(200)).text;
    for (const reason of ['invalid_key', 'proof_failed', 'binary_frame', 'origin']) {
      expect(sampleValue(metrics, 'sigsocket_handshake_failures_total', { reason })).toBe(1);
    }
    expect(sampleValue(metrics, 'sigsocket_handshake_failures_total', { reason: 'timeout' })).toBe(0);
  });
});
