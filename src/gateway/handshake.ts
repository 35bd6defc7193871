import { encodeBase64 } from '../protocol/base64.js';
import { parseHolderFrame } from '../protocol/holder-frame.js';
import type { KeyParse, NormalizedKey } from '../verification/signature-verifier.service.js';

/**
 * Where a connection is in its handshake; each phase holds exactly what it needs. Once the key
 * is accepted the session has a link, and frames no longer go through the handshake.
 */
export type HandshakePhase =
  | { readonly kind: 'awaiting-key' }
  | { readonly kind: 'proving'; readonly key: NormalizedKey; readonly challenge: Uint8Array };

/** Why a handshake failed, as the handshake-failure metric names it. */
export type HandshakeFailure = 'invalid_key' | 'proof_failed';

/** What the gateway does with one frame received during the handshake. */
export type HandshakeStep =
  | { readonly kind: 'challenge'; readonly frame: string; readonly next: HandshakePhase }
  | { readonly kind: 'accept'; readonly key: NormalizedKey }
  | { readonly kind: 'fail'; readonly failure: HandshakeFailure; readonly reason: string };

/** Everything the handshake needs from outside, so that it stays a pure function. */
export interface HandshakeRules {
  readonly proofOfPossession: boolean;
  parseKey(text: string): KeyParse;
  verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
  /** A fresh challenge: the reserved prefix, then unpredictable bytes. */
  newChallenge(): Uint8Array;
}

export const AWAITING_KEY: HandshakePhase = { kind: 'awaiting-key' };

/**
 * The next step for a text frame received in `phase`. First frame: the public key; then, with
 * proof of possession, the signed challenge. Its message part is compared as bytes, as answers to
 * sign requests are; any valid base64 of the challenge will do.
 */
export function handshakeStep(phase: HandshakePhase, text: string, rules: HandshakeRules): HandshakeStep {
  switch (phase.kind) {
    case 'awaiting-key':
      return introduce(text, rules);
    case 'proving':
      return prove(phase.key, phase.challenge, text, rules);
  }
}

function introduce(text: string, rules: HandshakeRules): HandshakeStep {
  const parsed = rules.parseKey(text);
  if (!parsed.ok)
    return { kind: 'fail', failure: 'invalid_key', reason: `invalid public key: ${parsed.reason}` };
  if (!rules.proofOfPossession) return { kind: 'accept', key: parsed.key };
  const challenge = rules.newChallenge();
  return {
    kind: 'challenge',
    frame: encodeBase64(challenge),
    next: { kind: 'proving', key: parsed.key, challenge },
  };
}

function prove(
  key: NormalizedKey,
  challenge: Uint8Array,
  text: string,
  rules: HandshakeRules,
): HandshakeStep {
  const frame = parseHolderFrame(text);
  const proven =
    frame.kind === 'response' &&
    Buffer.from(frame.messageBase64, 'base64').equals(challenge) &&
    rules.verify(challenge, frame.signature, key.compressed);
  if (!proven) return { kind: 'fail', failure: 'proof_failed', reason: 'proof of possession failed' };
  return { kind: 'accept', key };
}
