import { Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';

/**
 * One environment variable: how it is validated, its default, and its row in
 * `docs/configuration.md`. Module variables are also options of `SigSocketModule`, named in
 * camelCase (`SIGN_TIMEOUT_MS` → `signTimeoutMs`).
 */
export interface Variable<T> {
  readonly default: T;
  /** What the variable does, for the configuration reference. */
  readonly doc: string;
  /** The accepted values, for the configuration reference. */
  readonly range: string;
  /** The default as the configuration reference shows it, when it is not the value itself. */
  readonly shownDefault?: string;
  readonly decorators: readonly PropertyDecorator[];
  /** Its value never appears in an error, and `<NAME>_FILE` may name a file that holds it. */
  readonly secret?: boolean;
}

export type VariableValue<V> = V extends Variable<infer T> ? T : never;

interface Common<T> {
  default: T;
  doc: string;
  shownDefault?: string;
}

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return value;
};

const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : value;

/** An integer in [min, max]. */
export function int(min: number, max: number | undefined, spec: Common<number>): Variable<number> {
  const decorators = [Transform(toInt), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)])];
  const range = max === undefined ? `integer ≥ ${min}` : `integer ${min}–${max}`;
  return { ...spec, range, decorators };
}

/** `true`/`false` (or `1`/`0`). */
export function bool(spec: Common<boolean>): Variable<boolean> {
  return { ...spec, range: '`true` or `false`', decorators: [Transform(toBool), IsBoolean()] };
}

/** One of a fixed set of words. */
export function oneOf<const T extends string>(values: readonly T[], spec: Common<T>): Variable<T> {
  const range = values.map((value) => `\`${value}\``).join(', ');
  return { ...spec, range, decorators: [IsIn(values)] };
}

/** Free text, at least one character. */
export function text(spec: Common<string>): Variable<string> {
  return { ...spec, range: 'text', decorators: [IsString(), MinLength(1)] };
}

/** A comma-separated list; `items` validates the whole array. */
export function list(
  spec: Common<string[]> & { range: string; items?: PropertyDecorator[]; secret?: boolean },
): Variable<string[]> {
  const { items = [], ...rest } = spec;
  return { ...rest, decorators: [Transform(toList), IsArray(), IsString({ each: true }), ...items] };
}

/** A variable validated by the given decorators, with a hand-written range. */
export function custom<T>(
  spec: Common<T> & { range: string; decorators: PropertyDecorator[]; secret?: boolean },
): Variable<T> {
  return spec;
}

/** `SIGN_TIMEOUT_MS` → `signTimeoutMs`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Lowercase<Head>}${Capitalize<CamelCase<Tail>>}`
  : Lowercase<S>;

export function camelCase<S extends string>(name: S): CamelCase<S> {
  return name
    .toLowerCase()
    .replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase()) as CamelCase<S>;
}
