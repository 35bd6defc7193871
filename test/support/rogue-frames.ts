import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { randomBytes, randomInt } from 'node:crypto';

/** What the server must do with a frame from a registered connection: ignore it or close. */
export type RogueOutcome = 'ignored' | 1003 | 1008 | 1009;

/** What a rogue connection can draw on when it builds a frame. */
export interface RogueContext {
  /** A base64 message currently pending for an honest key, if any. */
  readonly pendingHonest: () => string | undefined;
  /** A response frame an honest holder sent, if any. */
  readonly honestFrame: () => string | undefined;
  /** The rogue connection's own secret key. */
  readonly secretKey: Uint8Array;
  /** The server's frame cap, in bytes. */
  readonly frameCap: number;
}

interface RogueKind {
  readonly outcome: RogueOutcome;
  make(context: RogueContext): string | Buffer;
}

const POOL = 400;
const pick = <T>(pool: readonly T[]): T => pool[randomInt(pool.length)];
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const someB64 = (): string => b64(randomBytes(randomInt(0, 48)));
const noDots = (text: string): string => text.replaceAll('.', '');

const printable = fc.sample(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), POOL).map(noDots);
const unicode = fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), POOL).map(noDots);
const json = fc.sample(fc.json({ maxDepth: 3 }), POOL);
/** JSON objects that are not reject frames (a random object is never one, but say so). */
const otherJson = ['{}', '{"type":"sign"}', ...json].filter(
  (text) => text.startsWith('{') && (JSON.parse(text) as { type?: unknown }).type !== 'reject',
);
const reasons = fc.sample(fc.string({ unit: 'binary', maxLength: 300 }), POOL);
const NOT_BASE64 = ['@', '-', '_', ' ', '!', 'é', '\n', '=A'];

function truncatedReject(): string {
  const full = JSON.stringify({ type: 'reject', message: someB64(), reason: pick(reasons) });
  return full.slice(0, randomInt(1, full.length));
}

function badBase64(): string {
  const [message, signature] = [someB64(), b64(randomBytes(64))];
  const bad = pick(NOT_BASE64);
  return randomInt(2) === 0 ? `${message}${bad}.${signature}` : `${message}.${signature.slice(1)}${bad}`;
}

function ownSignatureOver(message: string, context: RogueContext): string {
  return `${message}.${b64(secp256k1.sign(Buffer.from(message, 'base64'), context.secretKey))}`;
}

/**
 * Every kind of rogue frame. The closing kinds are protocol violations by construction: no dot
 * and no leading `{`, two or more dots, a part outside the base64 alphabet, an unclosed JSON
 * object, a frame over the cap, or a binary frame. The ignored kinds are well-formed answers
 * that match nothing pending for the rogue connection's own key.
 */
export const ROGUE_KINDS = {
  garbage: { outcome: 1008, make: () => `#${pick(printable)}` },
  unicode: { outcome: 1008, make: () => `\u00a7${pick(unicode)}` },
  badBase64: { outcome: 1008, make: badBase64 },
  strayDots: {
    outcome: 1008,
    make: () => pick(['..', `${someB64()}..`, `.${someB64()}.`, `${someB64()}.${someB64()}.${someB64()}`]),
  },
  hugeDots: { outcome: 1008, make: () => '.'.repeat(50_000) },
  truncatedJson: { outcome: 1008, make: truncatedReject },
  otherJson: { outcome: 1008, make: () => pick(otherJson) },
  oversized: { outcome: 1009, make: (context) => 'A'.repeat(context.frameCap + 1) },
  binary: { outcome: 1003, make: () => randomBytes(randomInt(1, 64)) },
  unmatchedResponse: { outcome: 'ignored', make: () => `${someB64()}.${b64(randomBytes(64))}` },
  emptyResponse: { outcome: 'ignored', make: () => pick(['.', `${someB64()}.`, `.${someB64()}`]) },
  unknownReject: {
    outcome: 'ignored',
    make: () => JSON.stringify({ type: 'reject', message: someB64(), reason: pick(reasons) }),
  },
  rejectHonest: {
    outcome: 'ignored',
    make: (context) => JSON.stringify({ type: 'reject', message: context.pendingHonest() ?? someB64() }),
  },
  replayHonest: {
    outcome: 'ignored',
    make: (context) => context.honestFrame() ?? `${someB64()}.${b64(randomBytes(64))}`,
  },
  forgedForHonest: {
    outcome: 'ignored',
    make: (context) => ownSignatureOver(context.pendingHonest() ?? someB64(), context),
  },
} satisfies Record<string, RogueKind>;

export type RogueKindName = keyof typeof ROGUE_KINDS;

const ALL = Object.keys(ROGUE_KINDS) as RogueKindName[];
/** Kinds that cost a signature or a large frame each are drawn a quarter as often, to keep runs short. */
const COSTLY = new Set<RogueKindName>(['forgedForHonest', 'oversized', 'hugeDots']);
const weighted = (kinds: RogueKindName[]): RogueKindName[] =>
  kinds.flatMap((kind) => (COSTLY.has(kind) ? [kind] : [kind, kind, kind, kind]));
export const IGNORED_KINDS = weighted(ALL.filter((kind) => ROGUE_KINDS[kind].outcome === 'ignored'));
export const CLOSING_KINDS = weighted(ALL.filter((kind) => ROGUE_KINDS[kind].outcome !== 'ignored'));

export const drawKind = (kinds: readonly RogueKindName[]): RogueKindName => pick(kinds);
