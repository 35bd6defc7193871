import { ValidateBy } from 'class-validator';
import { parseWsEndpoint } from '../protocol/proof-url.js';

/** PUBLIC_URLS entries: each a ws:// or wss:// URL without credentials. */
export function WsUrlEntries(): PropertyDecorator {
  return ValidateBy({
    name: 'wsUrlEntries',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && value.every((entry) => parseWsEndpoint(String(entry)) !== null),
      defaultMessage: () => 'PUBLIC_URLS entries must be ws:// or wss:// URLs without credentials',
    },
  });
}
