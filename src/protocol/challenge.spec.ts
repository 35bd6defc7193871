import { CHALLENGE_PREFIX, isChallengeMessage, isReservedMessage } from './challenge.js';

const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

describe('challenge prefixes', () => {
  test('recognises a challenge by its prefix', () => {
    expect(isChallengeMessage(bytes(`${CHALLENGE_PREFIX}instance:\x00\xff`))).toBe(true);
    expect(isChallengeMessage(bytes(CHALLENGE_PREFIX))).toBe(true);
    expect(isChallengeMessage(bytes('sigsocket:challenge'))).toBe(false);
    expect(isChallengeMessage(bytes('sigsocket:other:'))).toBe(false);
    expect(isChallengeMessage(bytes(`x${CHALLENGE_PREFIX}`))).toBe(false);
  });

  test('every challenge is reserved, and so is anything else under sigsocket:', () => {
    expect(isReservedMessage(bytes(`${CHALLENGE_PREFIX}abc`))).toBe(true);
    expect(isReservedMessage(bytes('sigsocket:'))).toBe(true);
    expect(isReservedMessage(bytes('sigsocket'))).toBe(false);
    expect(isReservedMessage(new Uint8Array(0))).toBe(false);
  });
});
