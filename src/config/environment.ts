import type { VariableValue } from './variable.js';
import { VARIABLES, type VariableName } from './variables.js';

export * from './variables.js';

/** The server's validated environment: one typed field per declared variable. */
export type Environment = { [K in VariableName]: VariableValue<(typeof VARIABLES)[K]> };

/** A fresh copy of a default, so that no caller can change the declaration's own value. */
export function copyDefault<T>(value: T): T {
  return (Array.isArray(value) ? [...value] : value) as T;
}

/**
 * What class-validator checks: a class whose fields start at the declared defaults and carry the
 * declared decorators.
 */
export class EnvironmentSchema {
  constructor() {
    for (const [name, variable] of Object.entries(VARIABLES)) {
      Object.defineProperty(this, name, {
        value: copyDefault(variable.default),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
}

for (const [name, variable] of Object.entries(VARIABLES)) {
  for (const decorate of variable.decorators) decorate(EnvironmentSchema.prototype, name);
}
