import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { untilConnected, verifies } from './support/sign-check.js';
import { startApp, type TestApp } from './support/test-app.js';
import { within } from './support/wait.js';

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const WAIT_MS = 10_000;

function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does it)');
  }
}

describe('browser demo', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await startApp('express');
    browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS, timeout: WAIT_MS });
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  function sign(publicKey: string, message: Buffer): Promise<request.Response> {
    return within(
      request(t.http)
        .post('/sign')
        .send({ publicKey, message: message.toString('base64'), timeoutMs: WAIT_MS }),
      WAIT_MS + 2000,
      'POST /sign',
    );
  }

  it('generates a key, connects, and signs or declines as the person clicks', async () => {
    await page.goto(`${t.http}/demo`);
    expect(await page.inputValue('#server-url')).toBe(t.ws);
    await page.click('#generate-key');
    const publicKey = (await page.textContent('#public-key'))?.trim() ?? '';
    expect(publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    await page.click('#connect');
    await page.waitForSelector('#state[data-state="ready"]');
    await untilConnected(t.http, publicKey);

    const approved = Buffer.from('approve me: pay 3 coins to carol');
    const first = sign(publicKey, approved);
    await page.click('.request[data-status="pending"] .approve');
    const res = await first;
    expect(res.status).toBe(200);
    expect(verifies((res.body as { signature: string }).signature, approved, publicKey)).toBe(true);

    const second = sign(publicKey, Buffer.from('decline me: pay 300 coins to mallory'));
    await page.waitForSelector('.request[data-status="pending"]');
    await mkdir('bench-results', { recursive: true });
    await page.screenshot({ path: 'bench-results/demo.png', fullPage: true });
    await page.click('.request[data-status="pending"] .decline');
    const declined = await second;
    expect(declined.status).toBe(409);
    expect(declined.body).toMatchObject({ error: 'rejected', message: 'declined in the browser' });

    expect(await page.locator('.request[data-status="approved"]').count()).toBe(1);
    expect(await page.locator('.request[data-status="declined"]').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
