import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { readFileSync } from 'node:fs';
import { type Environment, EnvironmentSchema, type LogFormatName, VARIABLES } from './environment.js';
import { isLoopbackHost } from './loopback.js';

/** Thrown at boot when the configuration is unusable; the message names each variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Reads and validates the environment. Unset or empty variables take their defaults; unknown
 * variables are ignored; a secret may come from the file named by `<NAME>_FILE`. Throws
 * {@link ConfigurationError} naming each bad variable, never showing a secret's value.
 */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(VARIABLES)) {
    const value = variable.secret === true ? readSecret(name, env, problems) : env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const config = plainToInstance(EnvironmentSchema, raw, { exposeDefaultValues: true }) as Environment;
  problems.push(...validateSync(config, { forbidUnknownValues: true }).map(describe));
  if (problems.length === 0) problems.push(...crossCheck(config));
  if (problems.length > 0) throw new ConfigurationError(problems.join('\n'));
  return config;
}

/** The log format for errors raised before the configuration is known to be valid. */
export function bootLogFormat(env: NodeJS.ProcessEnv = process.env): LogFormatName {
  return env.LOG_FORMAT?.trim() === 'json' ? 'json' : 'text';
}

function readSecret(name: string, env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const file = env[`${name}_FILE`]?.trim();
  if (file === undefined || file === '') return env[name];
  if (env[name] !== undefined && env[name].trim() !== '') {
    problems.push(`${name} and ${name}_FILE are both set; set one of them`);
    return undefined;
  }
  try {
    // One entry per line is how secret files usually list several values.
    return readFileSync(file, 'utf8')
      .trim()
      .replace(/\s*\r?\n\s*/g, ',');
  } catch (error) {
    problems.push(
      `${name}_FILE=${JSON.stringify(file)}: cannot be read (${(error as NodeJS.ErrnoException).code})`,
    );
    return undefined;
  }
}

function crossCheck(config: Environment): string[] {
  const problems: string[] = [];
  if (config.SIGN_TIMEOUT_MS > config.MAX_SIGN_TIMEOUT_MS) {
    problems.push('SIGN_TIMEOUT_MS must not exceed MAX_SIGN_TIMEOUT_MS');
  }
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  if (!isLoopbackHost(config.HOST) && config.API_KEYS.length === 0 && !config.ALLOW_ANONYMOUS) {
    problems.push(
      `HOST=${config.HOST} is not a loopback address and API_KEYS is empty, so anyone who reaches the port could ask holders to sign: set API_KEYS (or API_KEYS_FILE), or ALLOW_ANONYMOUS=true to serve anonymous callers on purpose`,
    );
  }
  return problems;
}

function describe(error: ValidationError): string {
  const variable = VARIABLES[error.property as keyof typeof VARIABLES];
  const value = variable?.secret === true ? '<redacted>' : JSON.stringify(error.value);
  return `${error.property}=${value}: ${Object.values(error.constraints ?? {}).join('; ')}`;
}
