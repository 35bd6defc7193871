// Rewrites the generated table in docs/configuration.md from the declarations in src/config.
// Run through `npm run docs:config`, which builds first.
import { readFileSync, writeFileSync } from 'node:fs';
import { withVariableTable } from '../dist/config/configuration-reference.js';

const file = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(file, withVariableTable(readFileSync(file, 'utf8')));
