/**
 * A caller's name: what an API key is called (the part before the first `=` names the key only
 * when it matches), and what log lines and metric labels say.
 */
export const CALLER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/** REST callers when no API keys are configured. */
export const ANONYMOUS_CALLER = 'anonymous';

/** Code in the host process that calls SigningService without naming itself. */
export const IN_PROCESS_CALLER = 'in-process';

const RESERVED_NAMES: ReadonlySet<string> = new Set([ANONYMOUS_CALLER, IN_PROCESS_CALLER]);

export const MIN_API_KEY_LENGTH = 16;

export interface ApiKey {
  readonly name: string;
  readonly secret: string;
}

/**
 * Reads `API_KEYS` entries: `name=secret`, or a plain secret named `key<position>`. An entry whose
 * part before the first `=` is not a name, or whose part after it is only `=` padding, is a secret
 * as a whole, so base64 secrets ending in `=` keep working.
 */
export function parseApiKeys(entries: readonly string[]): ApiKey[] {
  return entries.map((entry, index) => {
    const cut = entry.indexOf('=');
    const name = cut > 0 ? entry.slice(0, cut) : '';
    return CALLER_NAME.test(name) && !/^=*$/.test(entry.slice(cut + 1))
      ? { name, secret: entry.slice(cut + 1) }
      : { name: `key${index + 1}`, secret: entry };
  });
}

/**
 * Names of entries written as `name=secret`: the only API key names a holder may be shown. A
 * positional `key<N>` name says nothing to a person, so it is never shown.
 */
export function shownApiKeyNames(entries: readonly string[]): ReadonlySet<string> {
  const keys = parseApiKeys(entries);
  return new Set(
    keys
      .filter((key, index) => entries[index].startsWith(`${key.name}=`) && mayShowCaller(key.name))
      .map((key) => key.name),
  );
}

/** Whether a caller's name may be shown to a holder: never `anonymous`, `in-process` or `key<N>`. */
export function mayShowCaller(name: string): boolean {
  return !RESERVED_NAMES.has(name) && !/^key[0-9]+$/.test(name);
}

/** Why the entries are unusable, by position and length only, or undefined when they are fine. */
export function describeApiKeyProblems(entries: readonly string[]): string | undefined {
  const keys = parseApiKeys(entries);
  const problems: string[] = [];
  const names = new Set<string>();
  const secrets = new Set<string>();
  keys.forEach((key, index) => {
    if (key.secret.length < MIN_API_KEY_LENGTH) {
      problems.push(
        `entry ${index + 1} (${entries[index].length} characters) has a secret of ${key.secret.length} characters; at least ${MIN_API_KEY_LENGTH} are needed`,
      );
    }
    if (RESERVED_NAMES.has(key.name)) {
      problems.push(`entry ${index + 1} takes a reserved name (${[...RESERVED_NAMES].join(' or ')})`);
    }
    if (names.has(key.name)) problems.push(`entry ${index + 1} repeats the name of an earlier entry`);
    if (secrets.has(key.secret)) problems.push(`entry ${index + 1} repeats the secret of an earlier entry`);
    names.add(key.name);
    secrets.add(key.secret);
  });
  return problems.length === 0 ? undefined : problems.join('; ');
}
