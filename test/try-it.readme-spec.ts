import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shell, sparePort, type ShellCommand } from './support/shell.js';
import { untilConnected, verifies } from './support/sign-check.js';
import { eventually, within } from './support/wait.js';

/**
 * Runs the README's try-it commands, read from README.md itself, as a newcomer would: the server,
 * a CLI holder and the curl, each in its own shell. Its own script, `npm run test:readme`, since
 * it starts npm twice; `.ci/run` runs it.
 */

/** The address the README's commands use; the test runs them on a spare port instead. */
const README_ADDRESS = '127.0.0.1:8080';

/** The first fenced block after `<!-- try-it:NAME -->` in the README. */
function tryItBlock(readme: string, name: string): string {
  const at = readme.indexOf(`<!-- try-it:${name} -->`);
  if (at < 0) throw new Error(`README.md has no <!-- try-it:${name} --> marker`);
  const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(readme.slice(at));
  if (block === null) throw new Error(`README.md has no fenced block after <!-- try-it:${name} -->`);
  return block[1];
}

/** Adds what the command printed to the error when `waiting` fails. */
function withOutput<T>(run: ShellCommand, waiting: Promise<T>): Promise<T> {
  return waiting.catch((error: Error) => {
    throw new Error(`${error.message}; it printed:\n${run.output.text}`);
  });
}

describe("the README's try-it", () => {
  const started: ShellCommand[] = [];
  const start = (command: string, env?: Record<string, string>): ShellCommand => {
    const run = shell(command, env);
    started.push(run);
    return run;
  };

  afterAll(async () => {
    await Promise.all(started.map((run) => run.stop('SIGKILL').catch(() => undefined)));
  });

  it('runs as written: the server, a CLI holder, the curl, and the verified answer', async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const [server, holder, sign, answer] = ['server', 'holder', 'sign', 'answer'].map((name) =>
      tryItBlock(readme, name),
    );
    expect([holder, sign].every((command) => command.includes(README_ADDRESS))).toBe(true);
    const port = await sparePort();
    const http = `http://127.0.0.1:${port}`;
    const onSparePort = (command: string): string => command.replaceAll(README_ADDRESS, `127.0.0.1:${port}`);

    // npm test's pretest has built dist/; without npm's pre-scripts `npm start` does not build again.
    const serverRun = start(server, { PORT: String(port), npm_config_ignore_scripts: 'true' });
    const ready = () =>
      fetch(`${http}/health/ready`).then(
        (res) => res.ok,
        () => false,
      );
    await withOutput(serverRun, eventually(ready, 30_000, 'the server to be ready'));
    // The page the README points to is served by `npm start` as built, with no other step.
    const demo = await fetch(`${http}/demo`);
    expect([demo.status, demo.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await demo.text()).toContain('<script type="module">');
    const holderRun = start(onSparePort(holder));
    const holderReady = () => holderRun.output.text.includes('state: ready');
    await withOutput(holderRun, eventually(holderReady, 30_000, 'the holder to be ready'));
    const publicKey = /public key: (0[23][0-9a-f]{64})/.exec(holderRun.output.text)?.[1] ?? '';
    await untilConnected(http, publicKey, 10_000);

    const signed = start(onSparePort(sign));
    expect(await within(signed.exited, 15_000, 'curl')).toBe(0);
    const body = JSON.parse(signed.output.text) as { publicKey: string; message: string; signature: string };
    expect(body).toEqual(JSON.parse(answer));
    expect(verifies(body.signature, Buffer.from(body.message, 'base64'), body.publicKey)).toBe(true);
    expect(holderRun.output.text).toContain('request: 5 bytes, sha256 2cf24dba5fb0a30e');

    await holderRun.stop('SIGINT');
    expect(holderRun.output.text).toContain('state: closed');
    const again = start(onSparePort(sign));
    await within(again.exited, 15_000, 'curl');
    expect(JSON.parse(again.output.text)).toMatchObject({ statusCode: 404, error: 'not_connected' });
    await serverRun.stop('SIGTERM');
    expect(serverRun.output.text).toContain('drained; holders closed');
  }, 120_000);
});
