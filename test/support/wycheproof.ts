import { readFileSync } from 'node:fs';

export interface WycheproofVector {
  tcId: number;
  comment: string;
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

export interface WycheproofGroup {
  publicKey: { uncompressed: string };
  tests: WycheproofVector[];
}

export interface WycheproofFile {
  numberOfTests: number;
  testGroups: WycheproofGroup[];
}

/** The three secp256k1/SHA-256 files, with the LOW_S setting each one is checked under. */
export const WYCHEPROOF_FILES = [
  { name: 'DER', file: 'ecdsa_secp256k1_sha256_test.json', lowS: false },
  { name: 'P1363', file: 'ecdsa_secp256k1_sha256_p1363_test.json', lowS: false },
  { name: 'bitcoin', file: 'ecdsa_secp256k1_sha256_bitcoin_test.json', lowS: true },
] as const;

export function loadWycheproof(file: string): WycheproofFile {
  const url = new URL(`../fixtures/wycheproof/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as WycheproofFile;
}
