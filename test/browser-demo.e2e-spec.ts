import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { untilConnected, verifies } from './support/sign-check.js';
import { startApp, type TestApp } from './support/test-app.js';
import { within } from './support/wait.js';

const DEMO = join(process.cwd(), 'demo');
const BUNDLE = join(DEMO, 'dist/demo.js');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const WAIT_MS = 10_000;

function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does it)');
  }
}

/** Serves demo/ on 127.0.0.1 and an ephemeral port: the page and its bundle, nothing else. */
async function serveDemo(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const type = TYPES[extname(path)];
    if (type === undefined || path.startsWith('..')) return void res.writeHead(404).end();
    readFile(join(DEMO, path)).then(
      (body) => res.writeHead(200, { 'Content-Type': type }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('browser demo', () => {
  let t: TestApp;
  let demo: { server: Server; url: string };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build:demo before the tests`);
    t = await startApp('express');
    demo = await serveDemo();
    browser = await chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS, timeout: WAIT_MS });
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (demo !== undefined) await new Promise((resolve) => demo.server.close(resolve));
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
    await page.goto(`${demo.url}/index.html?server=${encodeURIComponent(t.ws)}`);
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
