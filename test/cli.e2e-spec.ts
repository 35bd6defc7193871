import { secp256k1 } from '@noble/curves/secp256k1.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { SignResult } from '../src/signing/sign-result.interface.js';
import { untilConnected, verifies } from './support/sign-check.js';
import { startApp, type TestApp } from './support/test-app.js';
import { eventually, within } from './support/wait.js';

const CLI = join(process.cwd(), 'dist/cli/holder.js');

interface Cli {
  child: ChildProcessWithoutNullStreams;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

function runCli(args: string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

/** The CLI on a pseudo-terminal (util-linux `script`), as a person runs `--approve ask`. */
function runCliOnTerminal(args: string[], env: Record<string, string>): Cli {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', TERM: 'dumb', ...env },
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

describe('sigsocket-holder CLI', () => {
  let t: TestApp;
  let dir: string;
  const running: Cli[] = [];

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build before the tests`);
    t = await startApp('express');
    dir = await mkdtemp(join(tmpdir(), 'sigsocket-cli-'));
  });

  afterAll(async () => {
    for (const cli of running) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    await Promise.all(running.map((cli) => within(cli.exited, 5000, 'the CLI to exit')));
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs with a key from the environment, never prints it, and exits 0 on SIGINT', async () => {
    const secretKey = secp256k1.utils.randomSecretKey();
    const secretHex = Buffer.from(secretKey).toString('hex');
    const publicKey = Buffer.from(secp256k1.getPublicKey(secretKey, true)).toString('hex');
    const cli = runCli(['--url', t.ws, '--approve', 'all'], { SIGSOCKET_SECRET_KEY: secretHex });
    running.push(cli);
    await eventually(() => cli.output.stdout.includes(`public key: ${publicKey}`), 5000, 'the public key');
    await untilConnected(t.http, publicKey);

    const message = Buffer.from('a message from the CLI test');
    const res = await request(t.http)
      .post('/sign')
      .send({ publicKey, message: message.toString('base64'), timeoutMs: 5000 })
      .expect(200);
    expect(verifies((res.body as { signature: string }).signature, message, publicKey)).toBe(true);
    await eventually(
      () => /request: 27 bytes, sha256 [0-9a-f]{16}/.test(cli.output.stdout),
      5000,
      'the request log',
    );

    cli.child.kill('SIGINT');
    await expect(within(cli.exited, 5000, 'the CLI to exit')).resolves.toBe(0);
    const printed = cli.output.stdout + cli.output.stderr;
    expect(printed.toLowerCase()).not.toContain(secretHex);
    expect(printed).not.toContain(message.toString());
    expect(printed).not.toContain(message.toString('base64'));
  });

  it('asks at the terminal with the size, caller, previews and time left, and withdraws expired prompts', async () => {
    const secretKey = secp256k1.utils.randomSecretKey();
    const publicKey = Buffer.from(secp256k1.getPublicKey(secretKey, true)).toString('hex');
    const cli = runCliOnTerminal(['--url', t.ws], {
      SIGSOCKET_SECRET_KEY: Buffer.from(secretKey).toString('hex'),
    });
    running.push(cli);
    await untilConnected(t.http, publicKey, 10_000);
    // In process, with a caller name, as an application that embeds the relay signs.
    const sign = (message: Buffer, timeoutMs: number): Promise<SignResult> =>
      within(
        t.signing.sendToSign(publicKey, message, { caller: 'shop', timeoutMs }),
        timeoutMs + 3000,
        'a signature',
      );
    const questions = (): number => cli.output.stdout.split('sign it? [y/N]').length - 1;

    const message = Buffer.from('pay 3 coins\x1b[2J to \u202ecarol\n');
    const approved = sign(message, 10_000);
    await eventually(() => questions() === 1, 5000, 'the first question');
    const shown = cli.output.stdout;
    expect(shown).toMatch(/sign request \S+: 28 bytes, caller shop, (10|9) s left/);
    expect(shown).toContain('text: "pay 3 coins\\x1b[2J to \\u{202e}carol\\n"');
    expect(shown).toContain('hex:  70617920 3320636f 696e731b 5b324a20 746f20e2 80ae6361 726f6c0a');
    expect(shown).not.toContain('\x1b[2J');
    cli.child.stdin.write('y\r');
    expect(verifies((await approved).signatureBase64, message, publicKey)).toBe(true);

    const expiring = sign(Buffer.from('nobody answers this one'), 1500);
    await eventually(() => questions() === 2, 5000, 'the second question');
    await expect(expiring).rejects.toMatchObject({ code: 'timeout' });
    await eventually(() => /withdrawn: .*nothing was signed/.test(cli.output.stdout), 5000, 'the note');

    const declined = sign(Buffer.from('decline this one'), 10_000);
    await eventually(() => questions() === 3, 5000, 'the third question');
    cli.child.stdin.write('n\r');
    await expect(declined).rejects.toMatchObject({ code: 'rejected', message: 'declined at the terminal' });

    cli.child.stdin.write('\x03'); // Ctrl-C
    await expect(within(cli.exited, 5000, 'the CLI to exit')).resolves.toBe(0);
  });

  it('generates a key file with mode 600 and serves with it', async () => {
    const keyFile = join(dir, 'holder.key');
    const cli = runCli(['--url', t.ws, '--approve', 'all', '--quiet', '--generate-key', keyFile]);
    running.push(cli);
    await eventually(() => /public key: 0[23][0-9a-f]{64}/.test(cli.output.stdout), 5000, 'the public key');
    const publicKey = /public key: (0[23][0-9a-f]{64})/.exec(cli.output.stdout)?.[1] ?? '';
    const secretHex = (await readFile(keyFile, 'utf8')).trim();
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    await untilConnected(t.http, publicKey);
    await request(t.http)
      .post('/sign')
      .send({ publicKey, message: Buffer.from('quiet').toString('base64'), timeoutMs: 5000 })
      .expect(200);
    cli.child.kill('SIGINT');
    await expect(within(cli.exited, 5000, 'the CLI to exit')).resolves.toBe(0);
    expect(cli.output.stdout).not.toContain(secretHex);
    expect(cli.output.stdout).not.toContain('request:');
  });

  it('refuses to start without a key, with a usage message and exit code 2', async () => {
    const cli = runCli(['--url', t.ws, '--approve', 'all']);
    running.push(cli);
    await expect(within(cli.exited, 5000, 'the CLI to exit')).resolves.toBe(2);
    expect(cli.output.stderr).toContain('no key');
  });

  it('answers a bad command line with one line and a pointer to --help, not the usage text', async () => {
    const cli = runCli(['--url', t.ws, '--bogus']);
    running.push(cli);
    await expect(within(cli.exited, 5000, 'the CLI to exit')).resolves.toBe(2);
    const lines = cli.output.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^sigsocket-holder: .*--bogus/);
    expect(lines[1]).toBe('Run sigsocket-holder --help for the options.');
    expect(cli.output.stdout).toBe('');

    const help = runCli(['--help']);
    running.push(help);
    await expect(within(help.exited, 5000, 'the CLI to exit')).resolves.toBe(0);
    expect(help.output.stdout).toContain('Usage: sigsocket-holder');
  });
});
