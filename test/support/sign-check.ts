import { secp256k1 } from '@noble/curves/secp256k1.js';
import request from 'supertest';
import { eventually } from './wait.js';

/** True when `signatureBase64` is a valid compact or DER signature of `message` by `publicKey`. */
export function verifies(signatureBase64: string, message: Uint8Array, publicKey: string): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  const format = signature.length === 64 ? 'compact' : 'der';
  return secp256k1.verify(signature, message, Buffer.from(publicKey, 'hex'), { format, lowS: false });
}

/** Waits until the server counts `publicKey` as connected (proof of possession included). */
export function untilConnected(http: string, publicKey: string, ms = 5000): Promise<void> {
  return eventually(
    async () => {
      const res = await request(http).get(`/connected/${publicKey}`);
      return (res.body as { connected?: boolean }).connected === true;
    },
    ms,
    'the holder to be connected',
  );
}
