/** Injection token for the loaded {@link DemoPage}, or `null` when the build did not make one. */
export const DEMO_PAGE = 'SIGSOCKET:DEMO_PAGE';

/**
 * Where `npm run build` writes the page (scripts/build-demo.mjs). Resolved from this file's place
 * so that it is the same file from dist/demo/ and, under the tests, from src/demo/.
 */
export const DEMO_PAGE_FILE = new URL('../../dist/demo-page/index.html', import.meta.url);
