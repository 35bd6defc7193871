#!/usr/bin/env node
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import WebSocket from 'ws';
import { SigSocketHolder } from '../client/index.js';
import { parseHolderArgs, usageError, USAGE, type HolderCliOptions } from './holder-args.js';
import { loadSecretKey } from './holder-key-source.js';
import { TerminalAsker } from './terminal-asker.js';

const FINGERPRINT_HEX = 16;
// The SDK unrefs its retry timer, so something must keep the process up between attempts.
const KEEP_ALIVE_MS = 1 << 30;

async function main(): Promise<void> {
  let options: HolderCliOptions;
  try {
    const args = parseHolderArgs(process.argv.slice(2), process.env.SIGSOCKET_SECRET_KEY);
    if (args.help) return console.log(USAGE);
    options = args.options;
    if (options.approve === 'ask' && !process.stdin.isTTY) {
      throw new Error('--approve ask needs a terminal; use --approve all to sign without asking');
    }
  } catch (error) {
    console.error(usageError(message(error)));
    process.exitCode = 2;
    return;
  }
  let secretKey: Uint8Array;
  try {
    secretKey = await loadSecretKey(options.key);
  } catch (error) {
    return fail(message(error));
  }
  try {
    run(options, secretKey);
  } catch (error) {
    fail(message(error));
  }
}

function run(options: HolderCliOptions, secretKey: Uint8Array): void {
  const info = (text: string): void => {
    if (!options.quiet) console.log(text);
  };
  const prompt =
    options.approve === 'ask' ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  const asker = prompt === undefined ? undefined : new TerminalAsker(prompt, (line) => console.log(line));
  const keepAlive = setInterval(() => undefined, KEEP_ALIVE_MS);
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    stopping = true;
    clearInterval(keepAlive);
    prompt?.close();
    await holder.close();
  };
  const holder = new SigSocketHolder({
    url: options.url,
    secretKey,
    WebSocket,
    approve: asker?.approve,
    onCancel: asker?.cancel,
    // In ask mode the question shows the request; otherwise a fingerprint, never the message.
    onRequest: ({ message }) => {
      if (asker === undefined) info(`request: ${message.length} bytes, sha256 ${fingerprint(message)}`);
    },
    onStateChange: (state) => {
      info(`state: ${state}`);
      if (state !== 'closed' || !holder.stopped || stopping) return;
      console.error('error: the server ended the connection and retrying cannot help');
      process.exitCode = 1;
      void shutdown();
    },
    onClose: (code, reason) => info(`connection closed: ${code}${reason ? ` (${reason})` : ''}`),
    onError: (error) => console.error(`error: ${error.message}`),
  });
  console.log(`public key: ${holder.publicKey}`);
  const onInterrupt = (): void => {
    if (stopping) return;
    info('stopping');
    void shutdown();
  };
  process.once('SIGINT', onInterrupt);
  // While readline reads a terminal, Ctrl-C reaches it instead of the process.
  prompt?.once('SIGINT', onInterrupt);
  holder.start();
}

function fingerprint(message: Uint8Array): string {
  return createHash('sha256').update(message).digest('hex').slice(0, FINGERPRINT_HEX);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fail(text: string): void {
  console.error(`sigsocket-holder: ${text}`);
  process.exitCode = 2;
}

void main();
