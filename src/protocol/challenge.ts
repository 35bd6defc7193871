/** Messages with this prefix are reserved for the server; applications may not ask for them. */
export const RESERVED_PREFIX = 'sigsocket:';
/** A proof-of-possession challenge: these ASCII bytes, then the instance id and random bytes. */
export const CHALLENGE_PREFIX = `${RESERVED_PREFIX}challenge:`;

// Plain byte arrays rather than Buffer: the client SDK runs in browsers too.
const RESERVED = asciiBytes(RESERVED_PREFIX);
const CHALLENGE = asciiBytes(CHALLENGE_PREFIX);

/** True when `message` starts with the reserved `sigsocket:` prefix. */
export function isReservedMessage(message: Uint8Array): boolean {
  return startsWith(message, RESERVED);
}

/** True when `message` is a proof-of-possession challenge (starts with `sigsocket:challenge:`). */
export function isChallengeMessage(message: Uint8Array): boolean {
  return startsWith(message, CHALLENGE);
}

function startsWith(message: Uint8Array, prefix: Uint8Array): boolean {
  if (message.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (message[i] !== prefix[i]) return false;
  return true;
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}
