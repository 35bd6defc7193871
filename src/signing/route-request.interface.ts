/**
 * What became of a holder's answer; `forwarded`: sent back to the caller's instance unchecked,
 * which checks it (a v1 holder hears nothing of the outcome).
 */
export type AnswerOutcome = 'verified' | 'invalid_signature' | 'unknown' | 'forwarded';

/** One admitted sign request, before it has an id. */
export interface RouteRequest {
  readonly keyId: string;
  readonly caller: string;
  /** The caller's name as holders that can show it are told; undefined tells them nothing. */
  readonly shownCaller?: string;
  readonly message: Uint8Array;
  readonly timeoutMs: number;
  readonly requestId?: string;
}
