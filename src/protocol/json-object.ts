import type { FrameError } from './holder-frame.js';

export interface JsonObject {
  readonly kind: 'object';
  readonly fields: Record<string, unknown>;
}

/** A JSON text that must be one object; the error's reason becomes the close reason. */
export function parseJsonObject(text: string): JsonObject | FrameError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'error', reason: 'malformed JSON frame' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'error', reason: 'a JSON frame must be an object' };
  }
  return { kind: 'object', fields: value as Record<string, unknown> };
}
