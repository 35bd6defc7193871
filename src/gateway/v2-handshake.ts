import { encodeV2Frame, proofMessage } from '../protocol/v2-frames.js';
import type { V2HolderFrame } from '../protocol/v2-holder-frames.js';
import type { NormalizedKey } from '../verification/signature-verifier.service.js';
import type { HandshakeFailure, HandshakeRules } from './handshake.js';

/** Where a v2 connection is in its handshake: waiting for `hello`, or for the `proof`. */
export type V2HandshakePhase =
  | { readonly kind: 'awaiting-hello' }
  | { readonly kind: 'proving'; readonly key: NormalizedKey; readonly nonce: string };

export type V2HandshakeStep =
  | { readonly kind: 'challenge'; readonly frame: string; readonly next: V2HandshakePhase }
  | { readonly kind: 'accept'; readonly key: NormalizedKey }
  | { readonly kind: 'fail'; readonly failure: HandshakeFailure; readonly reason: string };

/** What the v2 handshake needs from outside, so that it stays a pure function. */
export interface V2HandshakeRules extends Pick<HandshakeRules, 'proofOfPossession' | 'parseKey' | 'verify'> {
  /** Base64 of 32 fresh random bytes. */
  newNonce(): string;
  /** Whether a proof's URL names this server, for a connection upgraded with this Host header. */
  proofUrlMatches(url: string, hostHeader: string | undefined): boolean;
}

export const AWAITING_HELLO: V2HandshakePhase = { kind: 'awaiting-hello' };

const PROOF_FAILED = 'proof of possession failed';

/**
 * The next step for a frame received in `phase`: `hello` first, then (with proof of possession)
 * a `proof` whose URL names this server and whose signature verifies. Any other frame fails.
 */
export function v2HandshakeStep(
  phase: V2HandshakePhase,
  frame: V2HolderFrame,
  rules: V2HandshakeRules,
  hostHeader: string | undefined,
): V2HandshakeStep {
  switch (phase.kind) {
    case 'awaiting-hello':
      return hello(frame, rules);
    case 'proving':
      if (frame.type !== 'proof') return fail('proof_failed', `expected a proof frame, got ${frame.type}`);
      if (!rules.proofUrlMatches(frame.url, hostHeader)) return fail('proof_failed', PROOF_FAILED);
      return rules.verify(proofMessage(frame.url, phase.nonce), frame.signature, phase.key.compressed)
        ? { kind: 'accept', key: phase.key }
        : fail('proof_failed', PROOF_FAILED);
  }
}

function hello(frame: V2HolderFrame, rules: V2HandshakeRules): V2HandshakeStep {
  if (frame.type !== 'hello') return fail('invalid_key', `expected a hello frame, got ${frame.type}`);
  const parsed = rules.parseKey(frame.publicKey);
  if (!parsed.ok) return fail('invalid_key', `invalid public key: ${parsed.reason}`);
  if (!rules.proofOfPossession) return { kind: 'accept', key: parsed.key };
  const nonce = rules.newNonce();
  return {
    kind: 'challenge',
    frame: encodeV2Frame({ type: 'challenge', nonce }),
    next: { kind: 'proving', key: parsed.key, nonce },
  };
}

function fail(failure: HandshakeFailure, reason: string): V2HandshakeStep {
  return { kind: 'fail', failure, reason };
}
