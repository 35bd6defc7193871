import fc from 'fast-check';
import { describeRequest, escapeText, hexPreview, timeLeft, utf8Preview } from './request-preview.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const NOW = 1_700_000_000_000;

describe('escapeText', () => {
  it('escapes controls, bidirectional overrides and backslashes, and keeps the rest', () => {
    expect(escapeText('pay\n10\tcoins\r\x00\x1b[2J\x7f')).toBe('pay\\n10\\tcoins\\r\\x00\\x1b[2J\\x7f');
    expect(escapeText('to \u202Eevil\u200B')).toBe('to \\u{202e}evil\\u{200b}');
    expect(escapeText('a\\nb')).toBe('a\\\\nb');
    expect(escapeText('héllo, 世界 🙂')).toBe('héllo, 世界 🙂');
  });

  it('never lets a control, format or lone surrogate character through', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeText(text)).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u);
      }),
    );
  });
});

describe('utf8Preview', () => {
  it('quotes the text and cuts it at the limit', () => {
    expect(utf8Preview(bytes('hello'))).toBe('"hello"');
    expect(utf8Preview(bytes('abcdef'), 3)).toBe('"abc"…');
    expect(utf8Preview(bytes('🙂🙂🙂'), 2)).toBe('"🙂🙂"…');
  });

  it('says when the bytes are not UTF-8', () => {
    expect(utf8Preview(Uint8Array.of(0x61, 0xff, 0x62))).toBe('"a\\u{fffd}b" (not valid UTF-8)');
  });
});

describe('hexPreview', () => {
  it('groups four bytes and counts what it leaves out', () => {
    expect(hexPreview(Uint8Array.of(0, 1, 2, 3, 0xab, 0xcd))).toBe('00010203 abcd');
    expect(hexPreview(new Uint8Array(40).fill(0xee), 4)).toBe('eeeeeeee … (+36 bytes)');
  });

  it('shows every byte of a short message in order', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (message) => {
        expect(hexPreview(message).replaceAll(' ', '')).toBe(Buffer.from(message).toString('hex'));
      }),
    );
  });
});

describe('timeLeft', () => {
  it('counts down in seconds, then minutes, to expired', () => {
    expect(timeLeft(NOW + 29_001, NOW)).toBe('30 s left');
    expect(timeLeft(NOW + 125_000, NOW)).toBe('2 min 5 s left');
    expect(timeLeft(NOW + 1, NOW)).toBe('1 s left');
    expect(timeLeft(NOW, NOW)).toBe('expired');
    expect(timeLeft(NOW - 5, NOW)).toBe('expired');
    expect(timeLeft(undefined, NOW)).toBe('no deadline');
  });
});

describe('describeRequest', () => {
  it('gives the size, the caller, the time left, the text and the hex', () => {
    const lines = describeRequest(
      { id: 'r1', message: bytes('pay 3 coins\n'), deadline: NOW + 30_000, caller: 'shop' },
      NOW,
    );
    expect(lines).toEqual([
      'sign request r1: 12 bytes, caller shop, 30 s left',
      '  text: "pay 3 coins\\n"',
      '  hex:  70617920 3320636f 696e730a',
    ]);
  });

  it('escapes a hostile caller name and id, and shows an empty message as such', () => {
    const [head, , hex] = describeRequest({ id: 'x\x1b', message: new Uint8Array(0), caller: 'a\nb' }, NOW);
    expect(head).toBe('sign request x\\x1b: 0 bytes, caller a\\nb, no deadline');
    expect(hex).toBe('  hex:  (empty)');
    expect(describeRequest({ id: 'y', message: bytes('.') }, NOW)[0]).toContain('1 byte, no caller name');
  });
});
