import type { HolderCancelReason } from '../client/index.js';

/** What the terminal shows of a sign request (a `HolderRequest` from `sigsocket/client` fits). */
export interface PreviewedRequest {
  readonly id: string;
  readonly message: Uint8Array;
  readonly deadline?: number;
  readonly caller?: string;
}

/** Characters of text and bytes of hex shown before the preview is cut. */
export const PREVIEW_LIMITS = { chars: 80, bytes: 32 } as const;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\\': '\\\\',
};
// Controls, format characters (bidirectional overrides, zero-width joiners), line and paragraph
// separators, lone surrogates and the replacement character: each could hide or reorder what the person reads.
const UNSAFE = /[\\\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFD]/gu;

/** `text` with every character that a terminal would not show as itself written as an escape. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const named = NAMED_ESCAPES[char];
    if (named !== undefined) return named;
    const code = char.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u{${hex(code, 4)}}`;
  });
}

/**
 * The message read as UTF-8, escaped, cut to `chars` characters. Bytes that are not UTF-8 show as
 * `\u{FFFD}`, and the result says so.
 */
export function utf8Preview(message: Uint8Array, chars: number = PREVIEW_LIMITS.chars): string {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(message);
  const characters = [...text];
  const shown = escapeText(characters.slice(0, chars).join(''));
  const cut = characters.length > chars ? '…' : '';
  const valid = isUtf8(message) ? '' : ' (not valid UTF-8)';
  return `"${shown}"${cut}${valid}`;
}

/** The first `bytes` bytes in hex, in groups of four, and how many more there are. */
export function hexPreview(message: Uint8Array, bytes: number = PREVIEW_LIMITS.bytes): string {
  const head = Array.from(message.subarray(0, bytes), (byte) => hex(byte, 2));
  const groups: string[] = [];
  for (let i = 0; i < head.length; i += 4) groups.push(head.slice(i, i + 4).join(''));
  const more = message.length - head.length;
  return `${groups.join(' ')}${more > 0 ? ` … (+${more} bytes)` : ''}`;
}

/** `12 s left`, `2 min 5 s left`, or `expired`; `no deadline` when there is none. */
export function timeLeft(deadline: number | undefined, now: number): string {
  if (deadline === undefined) return 'no deadline';
  if (deadline <= now) return 'expired';
  const seconds = Math.ceil((deadline - now) / 1000);
  if (seconds < 60) return `${seconds} s left`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s left`;
}

/** The lines shown above the y/N question. */
export function describeRequest(request: PreviewedRequest, now: number): string[] {
  const bytes = request.message.length;
  const caller = request.caller === undefined ? 'no caller name' : `caller ${escapeText(request.caller)}`;
  const size = `${bytes} byte${bytes === 1 ? '' : 's'}`;
  return [
    `sign request ${escapeText(request.id)}: ${size}, ${caller}, ${timeLeft(request.deadline, now)}`,
    `  text: ${utf8Preview(request.message)}`,
    `  hex:  ${bytes === 0 ? '(empty)' : hexPreview(request.message)}`,
  ];
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** Why a request left the terminal before the person answered. */
export type WithdrawReason = HolderCancelReason;

const WHY: Readonly<Record<WithdrawReason, string>> = {
  timeout: 'the caller stopped waiting',
  withdrawn: 'the caller withdrew it',
  shutting_down: 'the server is shutting down',
  expired: 'its deadline passed',
};

/** Why a request was withdrawn, in words. */
export function withdrawnReason(reason: WithdrawReason): string {
  return WHY[reason];
}

/** The note that replaces a withdrawn question. */
export function withdrawnNote(request: PreviewedRequest, reason: WithdrawReason): string {
  return `sign request ${escapeText(request.id)} withdrawn: ${WHY[reason]}; nothing was signed`;
}
