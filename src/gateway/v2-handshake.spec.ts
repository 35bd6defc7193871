import { proofMessage } from '../protocol/v2-frames.js';
import type { V2HolderFrame } from '../protocol/v2-holder-frames.js';
import type { KeyParse, NormalizedKey } from '../verification/signature-verifier.service.js';
import {
  AWAITING_HELLO,
  type V2HandshakePhase,
  type V2HandshakeRules,
  v2HandshakeStep,
} from './v2-handshake.js';

const KEY: NormalizedKey = { id: `02${'11'.repeat(32)}`, compressed: new Uint8Array(33).fill(2) };
const URL = 'ws://relay/ws';
const NONCE = 'bm9uY2U=';
const GOOD = new Uint8Array(64).fill(7);

function rules(proofOfPossession = true): V2HandshakeRules {
  return {
    proofOfPossession,
    parseKey: (text): KeyParse =>
      text === 'good-key' ? { ok: true, key: KEY } : { ok: false, reason: 'not hex' },
    verify: (message, signature, key) =>
      Buffer.from(message).equals(Buffer.from(proofMessage(URL, NONCE))) &&
      Buffer.from(signature).equals(GOOD) &&
      key === KEY.compressed,
    newNonce: () => NONCE,
    proofUrlMatches: (url, host) => url === URL && host === 'relay',
  };
}

const hello: V2HolderFrame = { type: 'hello', publicKey: 'good-key' };
const proof = (url = URL, signature = GOOD): V2HolderFrame => ({
  type: 'proof',
  url,
  signature,
  signatureBase64: Buffer.from(signature).toString('base64'),
});
const proving: V2HandshakePhase = { kind: 'proving', key: KEY, nonce: NONCE };

describe('v2HandshakeStep', () => {
  it('answers hello with a challenge frame and moves to proving', () => {
    expect(v2HandshakeStep(AWAITING_HELLO, hello, rules(), 'relay')).toEqual({
      kind: 'challenge',
      frame: `{"type":"challenge","nonce":"${NONCE}"}`,
      next: proving,
    });
  });

  it('accepts hello straight away without proof of possession', () => {
    expect(v2HandshakeStep(AWAITING_HELLO, hello, rules(false), 'relay')).toEqual({
      kind: 'accept',
      key: KEY,
    });
  });

  it('accepts a proof of its URL whose signature verifies', () => {
    expect(v2HandshakeStep(proving, proof(), rules(), 'relay')).toEqual({ kind: 'accept', key: KEY });
  });

  it.each([
    ['another URL', proof('ws://elsewhere/ws'), 'relay'],
    ['a forged Host', proof(), 'elsewhere'],
    ['a bad signature', proof(URL, new Uint8Array(64).fill(8)), 'relay'],
  ])('fails a proof with %s', (_name, frame, host) => {
    expect(v2HandshakeStep(proving, frame, rules(), host)).toEqual({
      kind: 'fail',
      failure: 'proof_failed',
      reason: 'proof of possession failed',
    });
  });

  it('fails a bad key and frames in the wrong phase', () => {
    expect(v2HandshakeStep(AWAITING_HELLO, { type: 'hello', publicKey: 'x' }, rules(), 'relay')).toEqual({
      kind: 'fail',
      failure: 'invalid_key',
      reason: 'invalid public key: not hex',
    });
    expect(v2HandshakeStep(AWAITING_HELLO, proof(), rules(), 'relay')).toMatchObject({
      kind: 'fail',
      failure: 'invalid_key',
      reason: 'expected a hello frame, got proof',
    });
    expect(v2HandshakeStep(proving, hello, rules(), 'relay')).toMatchObject({
      kind: 'fail',
      failure: 'proof_failed',
      reason: 'expected a proof frame, got hello',
    });
  });
});
