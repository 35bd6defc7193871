// .dockerignore for the Dockerfile replay: which paths of the build context COPY may see.
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

function globToRegExp(pattern) {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\/?/g, '\u0000')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]')
    .replace(/\u0000/g, '(?:.*/)?');
  return new RegExp(`^${body.replace(/\(\?:\.\*\/\)\?$/, '.*')}$`);
}

/** A predicate: is this context-relative path left out of the build context? */
export function loadDockerignore(root) {
  const file = join(root, '.dockerignore');
  if (!existsSync(file)) return () => false;
  const rules = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = posix.normalize((negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, ''));
      return { negated, regexp: globToRegExp(pattern) };
    });
  // Like the engine: the last rule matching the path or one of its parents decides.
  return (path) => {
    const candidates = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.regexp.test(candidate))) ignored = !rule.negated;
    }
    return ignored;
  };
}
