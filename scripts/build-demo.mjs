#!/usr/bin/env node
// Bundles the browser demo (demo/demo.ts and the SDK it imports) and inlines it into a copy of
// demo/index.html at dist/demo-page/index.html, the one file `GET /demo` serves. One file means
// one route and a Content-Security-Policy that names the script and the style by their hashes.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist/demo-page/index.html');
/** The tag in demo/index.html that the bundle replaces. */
const BUNDLE_TAG = '<script type="module" src="demo.js"></script>';

const bundled = await build({
  entryPoints: [join(ROOT, 'demo/demo.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
});
const script = bundled.outputFiles[0].text.trim();
// esbuild escapes `</script` inside strings; check anyway, since it would end the inline script.
if (/<\/script/i.test(script)) throw new Error('the demo bundle contains "</script" and cannot be inlined');

const template = readFileSync(join(ROOT, 'demo/index.html'), 'utf8');
if (!template.includes(BUNDLE_TAG)) throw new Error(`demo/index.html lacks ${BUNDLE_TAG}`);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(
  OUT,
  template.replace(BUNDLE_TAG, () => `<script type="module">${script}</script>`),
);
// On stderr: prepack runs this, and `npm pack --json` keeps stdout for its report.
process.stderr.write(
  `demo page: ${OUT.slice(ROOT.length + 1)} (${Buffer.byteLength(script)} bytes of script)\n`,
);
