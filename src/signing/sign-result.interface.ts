/** Per-request options of {@link SigningService.sendToSign}. */
export interface SignOptions {
  /** Wait for the holder at most this long; 1..maxSignTimeoutMs. Defaults to signTimeoutMs. */
  timeoutMs?: number;
  /**
   * A repeat with the same key, public key and message joins the request in flight, or gets its
   * result for `idempotencyTtlMs`; the holder is asked once. A different request fails with
   * `idempotency_conflict`.
   */
  idempotencyKey?: string;
  /** Correlates log lines about this request. */
  requestId?: string;
}

/** A verified signature from the holder of `publicKey`. */
export interface SignResult {
  /** Canonical key id: compressed, lower-case hex. */
  publicKey: string;
  message: Uint8Array;
  signature: Uint8Array;
  /** The signature exactly as the holder sent it. */
  signatureBase64: string;
}
