import { Logger } from '@nestjs/common';
import { SigSocketError } from '../common/sigsocket.error.js';
import type { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { HolderAnswer, HolderLink } from '../registry/holder-link.interface.js';
import type { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import type { PendingRequest } from './pending-requests.js';
import type { AnswerOutcome } from './route-request.interface.js';

/** Verifies a holder's answer and ends its request with the result or `invalid_signature`. */
export function settleAnswer(
  verifier: SignatureVerifierService,
  metrics: SigSocketMetrics,
  logger: Logger,
  link: HolderLink,
  request: PendingRequest,
  answer: HolderAnswer,
): AnswerOutcome {
  const signatureCompact = verifier.verifyToCompact(request.message, answer.signature, link.publicKey);
  metrics.recordVerification(signatureCompact !== null);
  if (signatureCompact === null) {
    logger.warn(`[${link.id}] signature did not verify`);
    request.observer.error(
      new SigSocketError(ErrorCode.InvalidSignature, 'the holder answered with an invalid signature'),
    );
    return 'invalid_signature';
  }
  if (Logger.isLevelEnabled('debug')) logger.debug(`[${link.id}] signature verified`);
  request.observer.next({
    publicKey: link.keyId,
    message: request.message,
    signature: answer.signature,
    signatureBase64: answer.signatureBase64,
    signatureCompact,
  });
  request.observer.complete();
  return 'verified';
}
