import { encodeBase64 } from '../protocol/base64.js';
import type { KeyParse, NormalizedKey } from '../verification/signature-verifier.service.js';
import { AWAITING_KEY, HandshakePhase, HandshakeRules, handshakeStep } from './handshake.js';

const KEY: NormalizedKey = { id: `02${'11'.repeat(32)}`, compressed: new Uint8Array(33).fill(2) };
const CHALLENGE = Uint8Array.from([1, 2, 3]);
const SIGNATURE = encodeBase64(new Uint8Array(64).fill(7));

function rules(proofOfPossession: boolean, valid = true): HandshakeRules {
  return {
    proofOfPossession,
    parseKey: (text): KeyParse =>
      text === 'good-key' ? { ok: true, key: KEY } : { ok: false, reason: 'not hex' },
    verify: (message, signature, key) =>
      valid && message === CHALLENGE && signature.every((b) => b === 7) && key === KEY.compressed,
    newChallenge: () => CHALLENGE,
  };
}

const proving: HandshakePhase = { kind: 'proving', key: KEY, challenge: CHALLENGE };

describe('handshakeStep', () => {
  it('accepts the key straight away without proof of possession', () => {
    expect(handshakeStep(AWAITING_KEY, 'good-key', rules(false))).toEqual({ kind: 'accept', key: KEY });
  });

  it('fails a first frame that is not a key, with the reason', () => {
    expect(handshakeStep(AWAITING_KEY, 'nope', rules(true))).toEqual({
      kind: 'fail',
      failure: 'invalid_key',
      reason: 'invalid public key: not hex',
    });
  });

  it('answers a key with a challenge and moves to proving it', () => {
    expect(handshakeStep(AWAITING_KEY, 'good-key', rules(true))).toEqual({
      kind: 'challenge',
      frame: encodeBase64(CHALLENGE),
      next: proving,
    });
  });

  it('accepts the challenge signed, and fails it when the signature does not verify', () => {
    expect(handshakeStep(proving, `AQID.${SIGNATURE}`, rules(true))).toEqual({ kind: 'accept', key: KEY });
    expect(handshakeStep(proving, `AQID.${SIGNATURE}`, rules(true, false)).kind).toBe('fail');
  });

  it('compares the challenge as bytes, so a non-canonical base64 of it is accepted', () => {
    const challenge = Uint8Array.from([104, 105]);
    const phase: HandshakePhase = { kind: 'proving', key: KEY, challenge };
    const step = handshakeStep(phase, `aGl=.${SIGNATURE}`, { ...rules(true), verify: () => true });
    expect(step).toEqual({ kind: 'accept', key: KEY });
  });

  it.each([
    ['another message', `AQIE.${SIGNATURE}`],
    ['a reject frame', JSON.stringify({ type: 'reject', message: 'AQID', reason: 'no' })],
    ['garbage', 'not a frame'],
    ['the key again', 'good-key'],
  ])('fails the proof on %s', (_, text) => {
    expect(handshakeStep(proving, text, rules(true))).toEqual({
      kind: 'fail',
      failure: 'proof_failed',
      reason: 'proof of possession failed',
    });
  });
});
