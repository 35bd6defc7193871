import { ValidateBy } from 'class-validator';
import { describeApiKeyProblems } from '../common/api-keys.js';

/** API_KEYS entries: each secret long enough and each name once. Errors never show a value. */
export function ApiKeyEntries(): PropertyDecorator {
  return ValidateBy({
    name: 'apiKeyEntries',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && describeApiKeyProblems(value.map(String)) === undefined,
      defaultMessage: (args) =>
        `API_KEYS ${Array.isArray(args?.value) ? describeApiKeyProblems(args.value.map(String)) : 'is not a list'}`,
    },
  });
}
