import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How a command ended, with what it wrote. */
export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment for npm and node in the packaging test: this process's, minus the `npm_*`
 * variables `npm run` sets (a nested npm would take the outer project's prefix from them).
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

/** Runs a command to completion within `timeoutMs`; resolves with its exit code, never rejects. */
export function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs an npm command offline-first (the npm cache, then the registry) and without audit noise. */
export function npm(args: string[], cwd: string, timeoutMs = 300_000): Promise<Ran> {
  return run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], cwd, timeoutMs);
}

/** Starts a long-running process with piped stdio and the clean environment. */
export function start(command: string, args: string[], cwd: string): ChildProcess {
  return spawn(command, args, { cwd, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Paths, relative to `root`, of every installed copy of package `name` in its node_modules trees. */
export function installedCopies(root: string, name: string): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    const modules = join(dir, 'node_modules');
    if (!existsSync(modules)) return;
    if (existsSync(join(modules, name, 'package.json')))
      found.push(join(modules, name).slice(root.length + 1));
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const scoped = entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map((sub) => join(entry, sub))
        : [entry];
      for (const pkg of scoped) visit(join(modules, pkg));
    }
  };
  visit(root);
  return found;
}

/** The number of packages a project's package-lock.json records as installed. */
export function lockedPackageCount(project: string): number {
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, unknown>;
  };
  return Object.keys(lock.packages).filter((path) => path !== '').length;
}

/** The first fenced block of `lang` under the Markdown heading `heading`. */
export function fencedBlock(markdown: string, heading: string, lang: string): string {
  const section = markdown.split(/^#+ /m).find((part) => part.startsWith(`${heading}\n`));
  const block = section === undefined ? null : new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section);
  if (block === null) throw new Error(`no ${lang} block under "${heading}"`);
  return block[1];
}

/** `ran`, when the command exited 0; otherwise an error with the end of its stderr. */
export function ok(ran: Ran, what: string): Ran {
  if (ran.code !== 0) throw new Error(`${what} exited ${ran.code}:\n${ran.stderr.slice(-4000)}`);
  return ran;
}

/** Runs a script on this process's Node. */
export function node(args: string[], cwd: string, timeoutMs = 120_000): Promise<Ran> {
  return run(process.execPath, args, cwd, timeoutMs);
}

/** Clones the committed HEAD of `root` into `clone` and installs it as CI would. */
export async function cleanClone(root: string, clone: string): Promise<void> {
  const head = ok(await run('git', ['rev-parse', 'HEAD'], root, 10_000), 'git rev-parse').stdout.trim();
  ok(
    await run('git', ['clone', '--quiet', '--shared', '--no-checkout', root, clone], root, 60_000),
    'git clone',
  );
  ok(await run('git', ['checkout', '--quiet', '--detach', head], clone, 60_000), 'git checkout');
  ok(await npm(['ci'], clone), 'npm ci in the clone');
}

/** `npm pack` into `destination`: the tarball's path and the files it holds. */
export async function pack(
  project: string,
  destination: string,
): Promise<{ tarball: string; files: string[] }> {
  const ran = ok(await npm(['pack', '--json', '--pack-destination', destination], project), 'npm pack');
  // With --json, prepack's output goes to stderr and stdout holds only the report.
  const [report] = JSON.parse(ran.stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  return { tarball: join(destination, report.filename), files: report.files.map((file) => file.path) };
}
