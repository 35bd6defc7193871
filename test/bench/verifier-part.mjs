// Verifier throughput: the same pre-made signatures through SignatureVerifierService on the
// `native` and `elliptic` backends, alternating in slices. Signatures come from libsecp256k1.
import { randomBytes, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { SignatureVerifierService } from '../../dist/index.js';

const require = createRequire(import.meta.url);
const secp256k1 = require('secp256k1/bindings');

const KEYS = 1000;
const SIGNATURES = 4000;
const SLICES = 4;

function makeSamples() {
  const keys = [];
  while (keys.length < KEYS) {
    const secret = randomBytes(32);
    if (secp256k1.privateKeyVerify(secret))
      keys.push({ secret, compressed: secp256k1.publicKeyCreate(secret, true) });
  }
  return Array.from({ length: SIGNATURES }, (_, i) => {
    const key = keys[i % KEYS];
    const message = randomBytes(32);
    const digest = createHash('sha256').update(message).digest();
    const { signature } = secp256k1.ecdsaSign(digest, key.secret);
    return { message, signature: Uint8Array.from(signature), key: Uint8Array.from(key.compressed) };
  });
}

function runSlice(service, samples, ms) {
  const stopAt = performance.now() + ms;
  let ops = 0;
  let failures = 0;
  const start = performance.now();
  while (performance.now() < stopAt) {
    // Check the clock every 50 verifies: cheap next to a verify even on the native backend.
    for (let i = 0; i < 50; i++) {
      const s = samples[(ops + i) % samples.length];
      if (!service.verify(s.message, s.signature, s.key)) failures++;
    }
    ops += 50;
  }
  return { ops, failures, ms: performance.now() - start };
}

/** Verify operations per second for each backend, measured in one process in alternating slices. */
export async function measureVerifiers(seconds) {
  process.stderr.write('verifier: native vs elliptic\n');
  Logger.overrideLogger(['error', 'warn']);
  const samples = makeSamples();
  const services = {
    native: new SignatureVerifierService({ verifier: 'native', lowS: false }),
    elliptic: new SignatureVerifierService({ verifier: 'elliptic', lowS: false }),
  };
  for (const service of Object.values(services)) runSlice(service, samples, 200); // warm-up
  const totals = { native: { ops: 0, failures: 0, ms: 0 }, elliptic: { ops: 0, failures: 0, ms: 0 } };
  const sliceMs = (seconds * 1000) / (2 * SLICES);
  for (let i = 0; i < SLICES; i++) {
    for (const name of i % 2 === 0 ? ['native', 'elliptic'] : ['elliptic', 'native']) {
      const r = runSlice(services[name], samples, sliceMs);
      totals[name].ops += r.ops;
      totals[name].failures += r.failures;
      totals[name].ms += r.ms;
    }
  }
  const perSecond = (t) => (t.ops * 1000) / t.ms;
  Logger.overrideLogger(['fatal', 'error', 'warn', 'log']);
  return {
    signatures: SIGNATURES,
    keys: KEYS,
    native: { ...totals.native, perSecond: perSecond(totals.native) },
    elliptic: { ...totals.elliptic, perSecond: perSecond(totals.elliptic) },
    ratio: perSecond(totals.native) / perSecond(totals.elliptic),
  };
}
