import { readFileSync } from 'node:fs';

/** One test case of a Wycheproof ECDSA verify file (DER, P1363 or bitcoin schema). */
export interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly msg: string;
  readonly sig: string;
  readonly result: 'valid' | 'invalid' | 'acceptable';
}

export interface WycheproofGroup {
  readonly publicKey: { readonly uncompressed: string };
  readonly tests: readonly WycheproofTest[];
}

export interface WycheproofFile {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly WycheproofGroup[];
}

export const WYCHEPROOF_FILES = {
  der: 'ecdsa_secp256k1_sha256_test.json',
  p1363: 'ecdsa_secp256k1_sha256_p1363_test.json',
  bitcoin: 'ecdsa_secp256k1_sha256_bitcoin_test.json',
} as const;

export type WycheproofSet = keyof typeof WYCHEPROOF_FILES;

const FIXTURES = new URL('../fixtures/wycheproof/', import.meta.url);

export function loadWycheproof(set: WycheproofSet): WycheproofFile {
  const text = readFileSync(new URL(WYCHEPROOF_FILES[set], FIXTURES), 'utf8');
  return JSON.parse(text) as WycheproofFile;
}
