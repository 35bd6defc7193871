/** What became of a holder's answer. */
export type AnswerOutcome = 'verified' | 'invalid_signature' | 'unknown';

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
