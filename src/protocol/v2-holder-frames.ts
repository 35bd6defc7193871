import { decodeBase64 } from './base64.js';
import { cleanReason, type FrameError } from './holder-frame.js';
import { parseJsonObject } from './json-object.js';
import { MAX_PROOF_URL_CHARS, MAX_REQUEST_ID_CHARS } from './v2-frames.js';

/** A v2 holder's frame, checked and decoded. */
export type V2HolderFrame =
  | { readonly type: 'hello'; readonly publicKey: string }
  | {
      readonly type: 'proof';
      readonly url: string;
      readonly signature: Uint8Array;
      readonly signatureBase64: string;
    }
  | {
      readonly type: 'sign_response';
      readonly id: string;
      readonly signature: Uint8Array;
      readonly signatureBase64: string;
    }
  | { readonly type: 'reject'; readonly id: string; readonly reason: string };

export type V2HolderFrameParse = V2HolderFrame | FrameError;

const fail = (reason: string): FrameError => ({ kind: 'error', reason });

/**
 * Parses a text frame from a v2 holder: one JSON object with a known `type`; unknown fields are
 * ignored. Pure and total: every input gives a frame or an error with a reason.
 */
export function parseV2HolderFrame(text: string): V2HolderFrameParse {
  const parsed = parseJsonObject(text);
  if (parsed.kind === 'error') return parsed;
  const fields = parsed.fields;
  switch (fields.type) {
    case 'hello':
      return typeof fields.publicKey === 'string'
        ? { type: 'hello', publicKey: fields.publicKey }
        : fail('hello.publicKey must be a string');
    case 'proof':
      return parseProof(fields);
    case 'sign_response':
      return parseSignResponse(fields);
    case 'reject':
      return parseReject(fields);
    default:
      return typeof fields.type === 'string' ? fail('unknown frame type') : fail('a frame needs a type');
  }
}

function parseProof(fields: Record<string, unknown>): V2HolderFrameParse {
  const { url, signature } = fields;
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_PROOF_URL_CHARS) {
    return fail(`proof.url must be a string of 1-${MAX_PROOF_URL_CHARS} characters`);
  }
  const bytes = typeof signature === 'string' ? decodeBase64(signature) : null;
  if (bytes === null) return fail('proof.signature must be standard base64');
  return { type: 'proof', url, signature: bytes, signatureBase64: signature as string };
}

function parseSignResponse(fields: Record<string, unknown>): V2HolderFrameParse {
  const { id, signature } = fields;
  if (!isRequestId(id))
    return fail(`sign_response.id must be a string of 1-${MAX_REQUEST_ID_CHARS} characters`);
  const bytes = typeof signature === 'string' ? decodeBase64(signature) : null;
  if (bytes === null) return fail('sign_response.signature must be standard base64');
  return { type: 'sign_response', id, signature: bytes, signatureBase64: signature as string };
}

function parseReject(fields: Record<string, unknown>): V2HolderFrameParse {
  const { id, reason } = fields;
  if (!isRequestId(id)) return fail(`reject.id must be a string of 1-${MAX_REQUEST_ID_CHARS} characters`);
  if (reason !== undefined && typeof reason !== 'string') return fail('reject.reason must be a string');
  return { type: 'reject', id, reason: cleanReason(reason ?? '') };
}

function isRequestId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_REQUEST_ID_CHARS;
}
