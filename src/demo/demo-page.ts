import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** The demo page as served: its HTML and the headers that go with it. */
export interface DemoPage {
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
}

const INLINE = /<(script|style)\b[^>]*>([\s\S]*?)<\/\1>/gi;

const hashSource = (body: string): string =>
  `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;

/**
 * The policy for a page whose only script and style are inline: each is allowed by its hash,
 * nothing is loaded from elsewhere, and the page talks to its own origin only (`/ws` included).
 * It cannot be framed, so no other site can overlay the Approve button.
 */
export function demoContentSecurityPolicy(html: string): string {
  const hashes: Record<string, string[]> = { script: [], style: [] };
  for (const [, tag, body] of html.matchAll(INLINE)) hashes[tag.toLowerCase()].push(hashSource(body));
  const list = (sources: string[]): string => (sources.length === 0 ? "'none'" : sources.join(' '));
  return [
    "default-src 'none'",
    `script-src ${list(hashes.script)}`,
    `style-src ${list(hashes.style)}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The page with its headers: never cached (a key may be typed into it), never sniffed or framed. */
export function demoPage(html: string): DemoPage {
  return {
    html,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': demoContentSecurityPolicy(html),
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    },
  };
}

/** Reads the built page; `null` when it is missing (a build without `npm run build:demo`). */
export async function loadDemoPage(file: URL): Promise<DemoPage | null> {
  try {
    return demoPage(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
