/** Per-request options of {@link SigningService.sendToSign}. */
export interface SignOptions {
  /** Wait for the holder at most this long; 1..maxSignTimeoutMs. Defaults to signTimeoutMs. */
  timeoutMs?: number;
  /**
   * A repeat by the same caller with the same key, public key and message joins the request in
   * flight, or gets its result for `idempotencyTtlMs`; the holder is asked once. A different
   * request fails with `idempotency_conflict`; a new key while the store is full of requests in
   * flight fails with `too_many_pending`.
   */
  idempotencyKey?: string;
  /** Correlates log lines about this request. */
  requestId?: string;
  /**
   * The caller's name (1-32 letters, digits, `_` or `-`, starting with a letter; other names fail
   * with `invalid_request`). Undefined means `in-process`. Pending limits count per caller,
   * idempotency keys are scoped per caller, log lines about the request carry the name, and
   * metrics label it when it is an API key's name, `anonymous` or `in-process`; any other name is
   * labelled `in-process`.
   */
  caller?: string;
  /**
   * Whether holders that can show a caller (protocol v2) are told `caller`. Default true. The
   * names `anonymous`, `in-process` and `key<N>` are never shown.
   */
  showCaller?: boolean;
}

/** A verified signature from the holder of `publicKey`. */
export interface SignResult {
  /** Canonical key id: compressed, lower-case hex. */
  publicKey: string;
  message: Uint8Array;
  signature: Uint8Array;
  /** The signature exactly as the holder sent it. */
  signatureBase64: string;
  /** The same signature as 64-byte compact r‖s with low S, whatever encoding the holder used. */
  signatureCompact: Uint8Array;
}
