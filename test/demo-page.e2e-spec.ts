import { createHash } from 'node:crypto';
import request from 'supertest';
import { ADAPTERS, useTestApp } from './support/test-app.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64');
const inline = (html: string, tag: string): string[] =>
  [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]);

describe.each(ADAPTERS)('GET /demo on %s', (adapter) => {
  // API keys on: the page is public (it holds nothing), unlike POST /sign.
  const t = useTestApp(adapter, { API_KEYS: 'shop=a-secret-of-16-chars-or-more' });

  it('serves the bundled page with headers fit for a page that signs', async () => {
    const res = await request(t.http).get('/demo').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.text;
    expect(html).toContain('<title>SigSocket key holder</title>');
    const [script, ...otherScripts] = inline(html, 'script');
    expect(otherScripts).toEqual([]);
    expect(script).toContain('Approve'); // the bundle, inlined
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain(`script-src 'sha256-${sha256(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${sha256(inline(html, 'style')[0])}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    });
  });

  it('opens from a link on another site (a navigation, not an API call)', async () => {
    await request(t.http).get('/demo').set('Sec-Fetch-Site', 'cross-site').expect(200);
  });

  it('is not in the OpenAPI document', async () => {
    const doc = await request(t.http).get('/docs-json').expect(200);
    expect(Object.keys((doc.body as { paths: object }).paths)).not.toContain('/demo');
  });
});

describe.each(ADAPTERS)('DEMO=false on %s', (adapter) => {
  const t = useTestApp(adapter, { DEMO: 'false' });

  it('answers 404 not_found at /demo', async () => {
    const res = await request(t.http).get('/demo').expect(404);
    expect(res.body).toMatchObject({ error: 'not_found' });
  });
});
