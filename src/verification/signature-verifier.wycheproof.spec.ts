import { Logger } from '@nestjs/common';
import { parseStrictDer } from '../protocol/signature-encoding.js';
import { resolveOptions, type VerifierBackendName } from '../sigsocket-options.interface.js';
import { loadWycheproof, type WycheproofSet } from '../../test/support/wycheproof.js';
import { SignatureVerifierService } from './signature-verifier.service.js';

/*
 * Project Wycheproof vectors (test/fixtures/wycheproof, Apache-2.0) through the full wire path:
 * signature bytes -> encoding -> range -> S policy -> SHA-256 -> backend.
 *
 * "acceptable" results: none of the three files contains one (checked below, so a fixture update that
 * adds some fails loudly). Were there any, they would be expected to verify false: SigSocket takes
 * the strict side of every Wycheproof "acceptable" (BER leniency, legacy encodings).
 *
 * Wire ambiguity: a 64-byte wire signature is always read as compact r||s. No DER vector in these
 * files is 64 bytes long (asserted below), so the DER file runs through the wire path unchanged.
 * P1363 vectors of other lengths are read as DER and must fail to parse.
 */

interface Case {
  readonly set: WycheproofSet;
  readonly lowS: boolean;
}

const CASES: Case[] = [
  { set: 'der', lowS: false },
  { set: 'p1363', lowS: false },
  { set: 'bitcoin', lowS: true },
];
const BACKENDS: VerifierBackendName[] = ['native', 'elliptic'];
const ACCEPTABLE_EXPECTED = false;

interface Summary {
  readonly checked: number;
  readonly acceptable: number;
  readonly failing: number[];
}

function runFile(service: SignatureVerifierService, set: WycheproofSet): Summary {
  const file = loadWycheproof(set);
  let checked = 0;
  let acceptable = 0;
  const failing: number[] = [];
  for (const group of file.testGroups) {
    const key = service.normalizeKey(group.publicKey.uncompressed);
    if (key === null) throw new Error(`group key rejected: ${group.publicKey.uncompressed}`);
    for (const test of group.tests) {
      const expected = test.result === 'valid' || (test.result === 'acceptable' && ACCEPTABLE_EXPECTED);
      if (test.result === 'acceptable') acceptable += 1;
      const actual = service.verify(
        Buffer.from(test.msg, 'hex'),
        Buffer.from(test.sig, 'hex'),
        key.compressed,
      );
      if (actual !== expected) failing.push(test.tcId);
      checked += 1;
    }
  }
  return { checked, acceptable, failing };
}

// Services are built while suites are collected; keep their start-up log out of the output.
Logger.overrideLogger(false);

describe.each(BACKENDS)('Wycheproof secp256k1/SHA-256 on the %s backend', (verifier) => {
  test.each(CASES)('$set vectors with lowS=$lowS', ({ set, lowS }) => {
    const service = new SignatureVerifierService(resolveOptions({ verifier, lowS }));
    const summary = runFile(service, set);
    expect({ failing: summary.failing, acceptable: summary.acceptable }).toEqual({
      failing: [],
      acceptable: 0,
    });
    expect(summary.checked).toBe(loadWycheproof(set).numberOfTests);
  });
});

describe('Wycheproof fixture shape', () => {
  const signatures = (set: WycheproofSet): Buffer[] =>
    loadWycheproof(set).testGroups.flatMap((g) => g.tests.map((t) => Buffer.from(t.sig, 'hex')));

  test('no DER-file signature is 64 bytes long, so none is misread as compact', () => {
    for (const set of ['der', 'bitcoin'] as const) {
      expect(signatures(set).filter((sig) => sig.length === 64)).toHaveLength(0);
    }
  });

  test('every P1363 signature that is not 64 bytes fails strict DER parsing', () => {
    const odd = signatures('p1363').filter((sig) => sig.length !== 64);
    expect(odd.length).toBeGreaterThan(0);
    expect(odd.filter((sig) => parseStrictDer(sig) !== null)).toHaveLength(0);
  });
});
