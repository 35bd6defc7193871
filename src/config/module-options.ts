import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type CamelCase, camelCase, type VariableValue } from './variable.js';
import { copyDefault, type Environment, EnvironmentSchema, MODULE_VARIABLES } from './environment.js';

type ModuleVariables = typeof MODULE_VARIABLES;

/**
 * Options of `SigSocketModule`. Every field is optional and is the camelCase twin of an
 * environment variable (`signTimeoutMs` is `SIGN_TIMEOUT_MS`), with the same default, range and
 * meaning: see `docs/configuration.md`.
 */
export type SigSocketModuleOptions = {
  [K in keyof ModuleVariables as CamelCase<K>]?: VariableValue<ModuleVariables[K]>;
};

export type ResolvedSigSocketOptions = Required<SigSocketModuleOptions>;

type ModuleVariableName = keyof ModuleVariables;
type OptionName = keyof SigSocketModuleOptions;

const OPTION_NAMES = (Object.keys(MODULE_VARIABLES) as ModuleVariableName[]).map(
  (name): readonly [ModuleVariableName, OptionName] => [name, camelCase<string>(name) as OptionName],
);

/**
 * Fills in the defaults and validates the options with the environment's own rules.
 * @throws Error naming each bad option.
 */
export function resolveOptions(options: SigSocketModuleOptions): ResolvedSigSocketOptions {
  const resolved: Record<string, unknown> = {};
  const asVariables: Record<string, unknown> = {};
  for (const [name, option] of OPTION_NAMES) {
    const value: unknown = options[option] ?? copyDefault(MODULE_VARIABLES[name].default);
    resolved[option] = value;
    asVariables[name] = value;
  }
  const errors = validateSync(plainToInstance(EnvironmentSchema, asVariables));
  if (errors.length > 0) {
    const why = errors.map(
      (e) => `${camelCase(e.property)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`invalid SigSocketModule options (see docs/configuration.md): ${why.join('; ')}`);
  }
  return resolved as ResolvedSigSocketOptions;
}

/** The module options a validated environment gives. */
export function moduleOptionsFrom(env: Environment): ResolvedSigSocketOptions {
  const options: Record<string, unknown> = {};
  for (const [name, option] of OPTION_NAMES) options[option] = env[name];
  return options as ResolvedSigSocketOptions;
}
