import { Logger } from '@nestjs/common';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { resolveOptions, type VerifierBackendName } from '../sigsocket-options.interface.js';
import { SignatureVerifierService } from './signature-verifier.service.js';

const BACKENDS: VerifierBackendName[] = ['native', 'elliptic'];
const FIELD_P = 2n ** 256n - 2n ** 32n - 977n;
const ORDER_N = secp256k1.Point.CURVE().n;
const OFF_CURVE = 'not a point on secp256k1';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const hex32 = (value: bigint): string => value.toString(16).padStart(64, '0');
const secretKey = fc.constant(null).map(() => secp256k1.utils.randomSecretKey());

function service(verifier: VerifierBackendName, lowS = false): SignatureVerifierService {
  return new SignatureVerifierService(resolveOptions({ verifier, lowS }));
}

/** (r, s) -> (r, n - s). */
function flipS(compact: Uint8Array): Uint8Array {
  const s = BigInt(`0x${hex(compact.subarray(32))}`);
  return Buffer.concat([compact.subarray(0, 32), Buffer.from(hex32(ORDER_N - s), 'hex')]);
}

// Services are built while suites are collected; keep their start-up log out of the output.
Logger.overrideLogger(false);

describe.each(BACKENDS)('SignatureVerifierService key normalisation (%s)', (verifier) => {
  const verifierService = service(verifier);

  test('every textual form of a key normalises to the compressed lower-case id', () => {
    fc.assert(
      fc.property(secretKey, fc.boolean(), (sk, upper) => {
        const id = hex(secp256k1.getPublicKey(sk, true));
        const forms = [id, hex(secp256k1.getPublicKey(sk, false))];
        for (const form of forms) {
          const text = upper ? form.toUpperCase() : form;
          const key = verifierService.normalizeKey(`  ${text}\n`);
          expect(key?.id).toBe(id);
          expect(key === null ? '' : hex(key.compressed)).toBe(id);
        }
      }),
      { numRuns: 50 },
    );
  });

  test('an uncompressed point moved off the curve is rejected with a reason', () => {
    fc.assert(
      fc.property(secretKey, (sk) => {
        const { x, y } = secp256k1.Point.fromBytes(secp256k1.getPublicKey(sk, false)).toAffine();
        const offCurve = `04${hex32(x)}${hex32((y + 1n) % FIELD_P)}`;
        expect(verifierService.parseKey(offCurve)).toEqual({ ok: false, reason: OFF_CURVE });
      }),
      { numRuns: 20 },
    );
  });

  test('a compressed x with no point on the curve is rejected with a reason', () => {
    // x = 5: 5^3 + 7 = 132 is not a square mod p.
    expect(verifierService.parseKey(`02${hex32(5n)}`)).toEqual({ ok: false, reason: OFF_CURVE });
  });

  test('coordinates at or above p are rejected, not reduced to another key', () => {
    const point = secp256k1.Point.fromHex(`02${hex32(1n)}`).toAffine();
    expect(verifierService.parseKey(`02${hex32(1n)}`).ok).toBe(true);
    expect(verifierService.parseKey(`02${hex32(1n + FIELD_P)}`)).toEqual({ ok: false, reason: OFF_CURVE });
    const aliased = `04${hex32(1n + FIELD_P)}${hex32(point.y)}`;
    expect(verifierService.parseKey(aliased)).toEqual({ ok: false, reason: OFF_CURVE });
  });

  test('text that is not a key is rejected with the format reason', () => {
    const parsed = verifierService.parseKey('04abcd');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(/hex/);
  });
});

describe.each(BACKENDS)('SignatureVerifierService.verify (%s)', (verifier) => {
  const message = Buffer.from('sign me');
  const sk = secp256k1.utils.randomSecretKey();
  const key = secp256k1.getPublicKey(sk, true);
  const compact = secp256k1.sign(message, sk);
  const highS = flipS(compact);

  test('accepts compact and DER signatures of the same message', () => {
    const verifierService = service(verifier);
    expect(verifierService.verify(message, compact, key)).toBe(true);
    expect(verifierService.verify(message, secp256k1.sign(message, sk, { format: 'der' }), key)).toBe(true);
  });

  test('rejects another message, another key and a malformed signature', () => {
    const verifierService = service(verifier);
    const otherKey = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
    expect(verifierService.verify(Buffer.from('sign you'), compact, key)).toBe(false);
    expect(verifierService.verify(message, compact, otherKey)).toBe(false);
    expect(verifierService.verify(message, compact.subarray(0, 63), key)).toBe(false);
  });

  test('normalises high-S by default and rejects it when lowS is set', () => {
    expect(secp256k1.verify(highS, message, key, { lowS: false })).toBe(true);
    expect(service(verifier, false).verify(message, highS, key)).toBe(true);
    expect(service(verifier, true).verify(message, highS, key)).toBe(false);
    expect(service(verifier, true).verify(message, compact, key)).toBe(true);
  });
});

describe.each(BACKENDS)('SignatureVerifierService.verifyToCompact (%s)', (verifier) => {
  const verifierService = service(verifier);
  const sk = secp256k1.utils.randomSecretKey();
  const key = secp256k1.getPublicKey(sk, true);
  const message = new Uint8Array([1, 2, 3]);
  const low = secp256k1.sign(message, sk);
  const high = flipS(low);

  test('gives the low-S compact form of compact, high-S and DER signatures alike, as a copy', () => {
    const fromLow = verifierService.verifyToCompact(message, low, key);
    expect(fromLow).toEqual(low);
    expect(fromLow).not.toBe(low);
    expect(verifierService.verifyToCompact(message, high, key)).toEqual(low);
    const der = secp256k1.Signature.fromBytes(high, 'compact').toBytes('der');
    expect(verifierService.verifyToCompact(message, der, key)).toEqual(low);
  });

  test('is null for a signature that does not verify or is not a signature encoding', () => {
    expect(verifierService.verifyToCompact(new Uint8Array([9]), low, key)).toBeNull();
    expect(verifierService.verifyToCompact(message, new Uint8Array(10), key)).toBeNull();
    expect(verifierService.verifyToCompact(message, new Uint8Array(64), key)).toBeNull();
  });

  test('is null for a high-S signature when only low S is accepted', () => {
    expect(service(verifier, true).verifyToCompact(message, high, key)).toBeNull();
  });
});
