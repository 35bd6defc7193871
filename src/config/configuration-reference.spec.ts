import { readFileSync } from 'node:fs';
import { renderVariableTable, withVariableTable } from './configuration-reference.js';
import { VARIABLES } from './variables.js';

const reference = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('holds the table the declarations generate (run `npm run docs:config` after changing one)', () => {
    expect(withVariableTable(reference)).toBe(reference);
  });

  it.each(Object.keys(VARIABLES))('documents %s', (name) => {
    expect(reference).toContain(`| \`${name}\` |`);
  });

  it('generates one row per declared variable', () => {
    const rows = renderVariableTable().split('\n').slice(2);
    expect(rows).toHaveLength(Object.keys(VARIABLES).length);
  });
});
