import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { Environment } from './environment.js';

/** Thrown at boot when an environment variable is invalid; the message names the variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Reads and validates the environment. Unset or empty variables take their defaults; unknown
 * variables are ignored. Throws {@link ConfigurationError} naming each bad variable.
 */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const defaults = new Environment();
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(defaults)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const config = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigurationError(describe(errors));
  if (config.SIGN_TIMEOUT_MS > config.MAX_SIGN_TIMEOUT_MS) {
    throw new ConfigurationError('SIGN_TIMEOUT_MS must not exceed MAX_SIGN_TIMEOUT_MS');
  }
  return config;
}

/** Variables whose values never appear in error messages. */
const SECRET_VARIABLES = new Set(['METRICS_TOKEN']);

function describe(errors: ValidationError[]): string {
  return errors
    .map((e) => {
      const value = SECRET_VARIABLES.has(e.property) ? '<redacted>' : JSON.stringify(e.value);
      return `${e.property}=${value}: ${Object.values(e.constraints ?? {}).join('; ')}`;
    })
    .join('\n');
}
