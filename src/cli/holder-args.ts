import { parseArgs } from 'node:util';

export const USAGE = `Usage: sigsocket-holder --url ws://127.0.0.1:8080/ws [options]

  --url <ws-url>          the server's WebSocket endpoint (required)
  --key-file <path>       read the secret key (64 hex digits) from a file
  --generate-key <path>   make a new key, save it to <path> (mode 600, never overwritten) and use it
  --approve ask|all       ask y/n on the terminal before each signature (default), or sign all
  --quiet                 print only the public key and errors
  --help                  show this text

Without --key-file or --generate-key the key comes from SIGSOCKET_SECRET_KEY (hex).`;

/** What a bad command line prints: the problem on one line, and where the options are. */
export function usageError(problem: string): string {
  return `sigsocket-holder: ${problem.split('\n')[0]}\nRun sigsocket-holder --help for the options.`;
}

/** Where the secret key comes from. */
export type KeySource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'generate'; readonly path: string }
  | { readonly kind: 'env'; readonly hex: string };

export interface HolderCliOptions {
  readonly url: string;
  readonly key: KeySource;
  readonly approve: 'ask' | 'all';
  readonly quiet: boolean;
}

export type HolderCliArgs =
  { readonly help: true } | { readonly help: false; readonly options: HolderCliOptions };

/** Parses the command line; throws an Error whose message is fit to print (never a key). */
export function parseHolderArgs(argv: string[], envSecretKey: string | undefined): HolderCliArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string' },
      'key-file': { type: 'string' },
      'generate-key': { type: 'string' },
      approve: { type: 'string', default: 'ask' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return { help: true };
  if (values.url === undefined) throw new Error('--url is required');
  if (!/^wss?:\/\/[^/]/.test(values.url) || !URL.canParse(values.url))
    throw new Error('--url must be a ws:// or wss:// URL');
  if (values.approve !== 'ask' && values.approve !== 'all') throw new Error('--approve must be ask or all');
  return {
    help: false,
    options: {
      url: values.url,
      key: keySource(values['key-file'], values['generate-key'], envSecretKey),
      approve: values.approve,
      quiet: values.quiet,
    },
  };
}

function keySource(
  file: string | undefined,
  generate: string | undefined,
  env: string | undefined,
): KeySource {
  if (file !== undefined && generate !== undefined)
    throw new Error('give --key-file or --generate-key, not both');
  if (file !== undefined) return { kind: 'file', path: file };
  if (generate !== undefined) return { kind: 'generate', path: generate };
  if (env !== undefined && env.trim() !== '') return { kind: 'env', hex: env };
  throw new Error('no key: give --key-file, --generate-key or SIGSOCKET_SECRET_KEY');
}
