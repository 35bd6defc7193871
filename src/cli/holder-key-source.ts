import { secp256k1 } from '@noble/curves/secp256k1.js';
import { readFile, writeFile } from 'node:fs/promises';
import type { KeySource } from './holder-args.js';

const SECRET_HEX = /^[0-9a-fA-F]{64}$/;

/** Loads (or makes and saves) the secret key. Errors never quote the key material. */
export async function loadSecretKey(source: KeySource): Promise<Uint8Array> {
  switch (source.kind) {
    case 'env':
      return parseSecretKey(source.hex, 'SIGSOCKET_SECRET_KEY');
    case 'file':
      return parseSecretKey(await readFile(source.path, 'utf8'), source.path);
    case 'generate': {
      const secretKey = secp256k1.utils.randomSecretKey();
      // 'wx' refuses to overwrite: an existing key file may be the only copy of a key.
      await writeFile(source.path, `${Buffer.from(secretKey).toString('hex')}\n`, {
        flag: 'wx',
        mode: 0o600,
      });
      return secretKey;
    }
  }
}

function parseSecretKey(text: string, where: string): Uint8Array {
  const hex = text.trim();
  const bytes = SECRET_HEX.test(hex) ? Uint8Array.from(Buffer.from(hex, 'hex')) : undefined;
  if (bytes === undefined || !secp256k1.utils.isValidSecretKey(bytes)) {
    throw new Error(`${where}: not a secp256k1 secret key (expected 64 hex digits)`);
  }
  return bytes;
}
