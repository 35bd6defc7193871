/**
 * The examples the API description shows. They work as they stand: the key is the one whose
 * secret is 1, which the README's try-it holder uses, and the signature is that key's answer for
 * the message. Anyone can sign with this key; it is for trying things out only.
 */
export const API_EXAMPLES = {
  publicKey: '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
  /** "hello" */
  message: 'aGVsbG8=',
  signature: 'Dy//hiDY/+lwQPjPcq5Hbvj/RBI3OSnAMkzoQo0zUucYRa5JAwJ2ZwBYRvjwvj5e0ttcOCa6g6blQuCAeS+anQ==',
  timeoutMs: 10_000,
  requestId: 'checkout-7f3a',
} as const;

/** Security scheme of the relay's routes: a Bearer key from `API_KEYS`. */
export const API_KEY_SECURITY = 'api-key';

/** Security scheme of `/metrics`: the Bearer token from `METRICS_TOKEN`. */
export const METRICS_SECURITY = 'metrics';
