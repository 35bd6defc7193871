import { randomBytes } from 'node:crypto';
import { CHALLENGE_PREFIX } from '../protocol/challenge.js';
import { parseWsEndpoint, proofUrlMatches, type WsEndpoint } from '../protocol/proof-url.js';
import { SIGSOCKET_WS_PATH } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import type { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import type { HandshakeRules } from './handshake.js';
import type { V2HandshakeRules } from './v2-handshake.js';

/** The handshake rules of both protocol versions, from the module options. */
export function handshakeRules(
  options: ResolvedSigSocketOptions,
  verifier: SignatureVerifierService,
): { v1: HandshakeRules; v2: V2HandshakeRules } {
  const common = {
    proofOfPossession: options.proofOfPossession,
    parseKey: (text: string) => verifier.parseKey(text),
    verify: (message: Uint8Array, signature: Uint8Array, key: Uint8Array) =>
      verifier.verify(message, signature, key),
  };
  const prefix = Buffer.from(`${CHALLENGE_PREFIX}${randomBytes(6).toString('hex')}:`, 'ascii');
  const publicUrls = options.publicUrls
    .map((url) => parseWsEndpoint(url))
    .filter((endpoint): endpoint is WsEndpoint => endpoint !== null);
  return {
    v1: { ...common, newChallenge: () => Buffer.concat([prefix, randomBytes(32)]) },
    v2: {
      ...common,
      newNonce: () => randomBytes(32).toString('base64'),
      proofUrlMatches: (url, hostHeader) =>
        proofUrlMatches(url, { publicUrls, hostHeader, wsPath: SIGSOCKET_WS_PATH }),
    },
  };
}
