import { createHash } from 'node:crypto';
import { demoContentSecurityPolicy, demoPage, loadDemoPage } from './demo-page.js';

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('demo page', () => {
  it('allows exactly the inline script and style, by hash', () => {
    const script = 'document.title = "é"';
    const style = 'body { color: red }';
    const csp = demoContentSecurityPolicy(`<style>${style}</style><script type="module">${script}</script>`);
    expect(csp).toContain(`script-src ${hash(script)};`);
    expect(csp).toContain(`style-src ${hash(style)};`);
    expect(csp).toContain("default-src 'none'");
  });

  it('allows no script at all when the page has none', () => {
    expect(demoContentSecurityPolicy('<p>hi</p>')).toContain("script-src 'none'; style-src 'none'");
  });

  it('is never cached, sniffed or framed', () => {
    expect(demoPage('<p></p>').headers).toMatchObject({
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
  });

  it('loads as null when the build did not make the page', async () => {
    await expect(loadDemoPage(new URL('file:///nonexistent/demo-page/index.html'))).resolves.toBeNull();
  });
});
