/** Messages with this prefix are reserved for the server; applications may not ask for them. */
export const RESERVED_PREFIX = 'sigsocket:';
/** A proof-of-possession challenge: these ASCII bytes, then the instance id and random bytes. */
export const CHALLENGE_PREFIX = `${RESERVED_PREFIX}challenge:`;

const RESERVED = Buffer.from(RESERVED_PREFIX, 'ascii');

/** True when `message` starts with the reserved `sigsocket:` prefix. */
export function isReservedMessage(message: Uint8Array): boolean {
  if (message.length < RESERVED.length) return false;
  for (let i = 0; i < RESERVED.length; i++) if (message[i] !== RESERVED[i]) return false;
  return true;
}
