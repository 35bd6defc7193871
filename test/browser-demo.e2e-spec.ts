import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Subscription } from 'rxjs';
import request from 'supertest';
import { verifies } from './support/sign-check.js';
import { startApp, type TestApp } from './support/test-app.js';
import { eventually, within } from './support/wait.js';

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const WAIT_MS = 10_000;
const API_KEY = 'shop-secret-0123456789';

function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does it)');
  }
}

describe('browser demo, served at GET /demo', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let publicKey = '';
  const problems: string[] = [];
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    t = await startApp('express', { API_KEYS: `shop=${API_KEY}` });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS, timeout: WAIT_MS });
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => problems.push(error.message));
    // A Content-Security-Policy violation shows as a console error: the page must cause none.
    page.on('console', (message) => {
      if (message.type() === 'error' && !/favicon/.test(message.location().url))
        problems.push(message.text());
    });
  }, 30_000);

  afterAll(async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
    await browser?.close();
    await t?.close();
  });

  function sign(message: string, timeoutMs = WAIT_MS): Promise<request.Response> {
    return within(
      request(t.http)
        .post('/sign')
        .set('Authorization', `Bearer ${API_KEY}`)
        .send({ publicKey, message: Buffer.from(message).toString('base64'), timeoutMs }),
      timeoutMs + 2000,
      'POST /sign',
    );
  }

  const pending = (text: string): string => `#requests .request:has(.preview:text-is('"${text}"'))`;

  it('loads from the server, generates a key and connects to its own /ws', async () => {
    await page.goto(`${t.http}/demo`);
    expect(await page.inputValue('#server-url')).toBe(t.ws);
    await page.click('#generate-key');
    publicKey = (await page.textContent('#public-key'))?.trim() ?? '';
    expect(publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    await page.click('#connect');
    await page.waitForSelector('#state[data-state="ready"]');
    // The page shows ready on the server's ready frame: the key is registered by then.
    const connected = await request(t.http)
      .get(`/connected/${publicKey}`)
      .set('Authorization', `Bearer ${API_KEY}`);
    expect(connected.body).toMatchObject({ connected: true });
  });

  it('shows the caller, a preview and a live countdown; Approve signs (200)', async () => {
    const message = 'approve me: pay 3 coins to carol';
    const answer = sign(message);
    const item = page.locator(pending(message));
    await item.waitFor();
    expect(await item.locator('.caller').textContent()).toBe('shop');
    expect(await item.locator('.hex').textContent()).toMatch(/^61707072 6f766520 /);
    const countdown = item.locator('.countdown');
    const first = await countdown.textContent();
    expect(first).toMatch(/^(10|9) s left$/);
    await eventually(async () => (await countdown.textContent()) !== first, 3000, 'the countdown to move');
    expect(await countdown.textContent()).toMatch(/^\d s left$/);
    await mkdir('bench-results', { recursive: true });
    await page.screenshot({ path: 'bench-results/demo.png', fullPage: true });

    await item.locator('.approve').click();
    const res = await answer;
    expect(res.status).toBe(200);
    expect(verifies((res.body as { signature: string }).signature, Buffer.from(message), publicKey)).toBe(
      true,
    );
    expect(await page.locator('#history .note[data-status="approved"]').count()).toBe(1);
    expect(await item.count()).toBe(0);
  });

  it('Reject declines (409 rejected)', async () => {
    const message = 'reject me: pay 300 coins to mallory';
    const answer = sign(message);
    await page.locator(`${pending(message)} .reject`).click();
    const res = await answer;
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'rejected', message: 'rejected in the browser' });
    expect(await page.locator('#history .note[data-status="rejected"]').count()).toBe(1);
  });

  it('takes an expired request off the list with a note', async () => {
    const message = 'too late: expires in 1.5 s';
    const answer = sign(message, 1500);
    await page.locator(pending(message)).waitFor();
    expect((await answer).status).toBe(504);
    await page.locator(pending(message)).waitFor({ state: 'detached' });
    const note = page.locator('#history .note[data-status="expired"]');
    expect(await note.textContent()).toContain('Withdrawn, not signed');
    expect(await note.textContent()).toContain('too late');
  });

  it('takes a request the caller withdraws off the list with a note', async () => {
    const message = 'withdrawn: the caller gives up';
    const subscription = t.signing
      .sign$(publicKey, Buffer.from(message), { caller: 'shop', timeoutMs: WAIT_MS })
      .subscribe({ error: () => undefined });
    subscriptions.push(subscription);
    await page.locator(pending(message)).waitFor();
    subscription.unsubscribe();
    await page.locator(pending(message)).waitFor({ state: 'detached' });
    const note = page.locator('#history .note[data-status="cancelled"]');
    expect(await note.textContent()).toContain('the caller withdrew it');
    expect(await page.locator('#requests .request').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
