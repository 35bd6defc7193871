import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

interface KnownKey {
  readonly name: string;
  readonly digest: Buffer;
}

/**
 * Bearer credentials checked in constant time: both sides are hashed with SHA-256 and the
 * presented token is compared with every known key, so neither a key's length, its content nor
 * its position leaks through timing.
 */
export class BearerKeys {
  private readonly keys: KnownKey[];

  constructor(keys: readonly { name: string; secret: string }[]) {
    this.keys = keys.map(({ name, secret }) => ({ name, digest: digest(secret) }));
  }

  get isEmpty(): boolean {
    return this.keys.length === 0;
  }

  /** The token of an `Authorization: Bearer <token>` header, or undefined. */
  static tokenOf(header: unknown): string | undefined {
    return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
  }

  /** The name of the key the token matches, or undefined. */
  nameOf(token: string): string | undefined {
    const presented = digest(token);
    let name: string | undefined;
    for (const key of this.keys) name = timingSafeEqual(key.digest, presented) ? key.name : name;
    return name;
  }
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
