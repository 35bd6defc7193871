// The build half of the Dockerfile replay: parses the Dockerfile and .dockerignore, gives each
// stage a folder standing for its filesystem and the Node major its base image names, copies what
// COPY names and runs the npm RUN steps on that Node.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join, posix, relative } from 'node:path';
import { nodeRuntime } from '../../scripts/node-runtime.mjs';
import { loadDockerignore } from './dockerignore.mjs';

export function fail(message) {
  throw new Error(message);
}

export function log(message) {
  process.stdout.write(`[replay] ${message}\n`);
}

const context = { root: '', work: '' };

// ---- Dockerfile and .dockerignore -------------------------------------------------------------

export function parseDockerfile(text) {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const logical = lines.join('\n').replace(/\\\n/g, ' ').split('\n');
  return logical
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [, instruction, rest] = /^(\S+)\s+(.*)$/.exec(line) ?? fail(`cannot parse: ${line}`);
      return { instruction: instruction.toUpperCase(), args: rest.trim() };
    });
}

function parseEnv(args) {
  const env = {};
  const pairs = args.match(/(\w+)=("[^"]*"|\S+)/g) ?? fail(`ENV must use KEY=value: ${args}`);
  for (const pair of pairs) {
    const [key, ...value] = pair.split('=');
    env[key] = value.join('=').replace(/^"(.*)"$/, '$1');
  }
  return env;
}

function splitFlags(args) {
  const words = args.split(/\s+/);
  const flags = {};
  while (words[0]?.startsWith('--')) {
    const [name, value] = words.shift().slice(2).split('=');
    flags[name] = value;
  }
  return { flags, words };
}

// ---- Stages -----------------------------------------------------------------------------------

class Stage {
  constructor(index, name, image, node) {
    this.name = name ?? String(index);
    this.image = image;
    /** The Node binary standing for the base image's: `node` in RUN, CMD and HEALTHCHECK. */
    this.node = node;
    /** Debian packages the stage's RUN steps install (the replay skips those steps). */
    this.systemPackages = [];
    this.rootfs = join(context.work, `${index}-${this.name}`);
    this.workdir = '/';
    this.env = {};
    this.user = 'root';
    this.exposed = [];
    mkdirSync(this.rootfs, { recursive: true });
  }

  host(containerPath) {
    return join(this.rootfs, posix.resolve(this.workdir, containerPath));
  }
}

/** The Node binary for a base image: the machine's own, or that major from scripts/node-runtime.mjs. */
function baseImageNode(image) {
  const match =
    /^node:(\d+)-[\w.-]*slim$/.exec(image) ??
    fail(`base image ${image} is not an official slim Node image pinned to a major`);
  const node = nodeRuntime(Number(match[1]));
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  log(`FROM ${image}: Node ${version} (${node})`);
  return node;
}

function copyFromContext(stage, sources, dest, ignored) {
  for (const source of sources) {
    const path = posix.normalize(source).replace(/\/$/, '');
    const from = join(context.root, path);
    if (!existsSync(from) || ignored(path)) fail(`COPY ${source}: not in the build context`);
    const target = sources.length > 1 || dest.endsWith('/') ? posix.join(dest, posix.basename(path)) : dest;
    const to = stage.host(statSync(from).isDirectory() ? dest : target);
    cpSync(from, to, {
      recursive: true,
      filter: (file) => {
        const rel = relative(context.root, file).split('\\').join('/');
        return rel === '' || !ignored(rel);
      },
    });
  }
}

function copy(stage, args, stages, ignored) {
  const { flags, words } = splitFlags(args);
  const dest = words.pop();
  if (flags.from === undefined) return copyFromContext(stage, words, dest, ignored);
  const source = stages.get(flags.from) ?? fail(`COPY --from=${flags.from}: no such stage`);
  for (const path of words) {
    const from = join(source.rootfs, path);
    if (!existsSync(from)) fail(`COPY --from=${flags.from} ${path}: not found in that stage`);
    cpSync(from, stage.host(dest), { recursive: true });
  }
}

const APT_STEP = /^(?:apt-get\s|rm -rf \/var\/lib\/apt\/lists\/)/;

function run(stage, command) {
  const steps = command.split('&&').map((step) => step.trim());
  if (steps.every((step) => APT_STEP.test(step))) {
    // No operating system to install into: the packages are recorded, for the runtime stage check.
    const installs = steps.filter((step) => /^apt-get\s+install\s/.test(step));
    stage.systemPackages.push(
      ...installs.flatMap((step) =>
        step
          .split(/\s+/)
          .slice(2)
          .filter((w) => !w.startsWith('-')),
      ),
    );
    return log(
      `[${stage.name}] RUN ${command}: skipped (system packages ${stage.systemPackages.join(', ')})`,
    );
  }
  if (!steps.every((step) => /^npm\s/.test(step)))
    fail(`RUN ${command}: the replay runs npm and apt-get steps only`);
  log(`[${stage.name}] RUN ${command}`);
  const cwd = stage.host('.');
  mkdirSync(cwd, { recursive: true });
  // npm runs on the first node in PATH: the base image's.
  const PATH = `${dirname(stage.node)}${delimiter}${process.env.PATH}`;
  execFileSync('sh', ['-c', command], { cwd, stdio: 'inherit', env: { ...process.env, ...stage.env, PATH } });
}

/** Replays every stage in order and returns the last one, the runtime stage. */
export function replayBuild(instructions, root, work) {
  context.root = root;
  context.work = work;
  const ignored = loadDockerignore(context.root);
  const stages = new Map();
  let stage;
  for (const { instruction, args } of instructions) {
    if (instruction === 'FROM') {
      const [image, as, name] = args.split(/\s+/);
      stage = new Stage(
        stages.size,
        as?.toUpperCase() === 'AS' ? name : undefined,
        image,
        baseImageNode(image),
      );
      stages.set(stage.name, stage);
      continue;
    }
    if (stage === undefined) fail(`${instruction} before FROM`);
    apply(stage, instruction, args, stages, ignored);
  }
  return stage;
}

function apply(stage, instruction, args, stages, ignored) {
  switch (instruction) {
    case 'WORKDIR':
      stage.workdir = posix.resolve(stage.workdir, args);
      return mkdirSync(stage.host('.'), { recursive: true });
    case 'COPY':
      return copy(stage, args, stages, ignored);
    case 'RUN':
      return run(stage, args);
    case 'ENV':
      return Object.assign(stage.env, parseEnv(args));
    case 'USER':
      stage.user = args;
      return;
    case 'EXPOSE':
      return stage.exposed.push(...args.split(/\s+/));
    case 'HEALTHCHECK':
      stage.healthcheck = JSON.parse(
        /\bCMD\s+(\[.*\])\s*$/.exec(args)?.[1] ?? fail('HEALTHCHECK needs exec-form CMD'),
      );
      return;
    case 'CMD':
      stage.cmd = JSON.parse(args);
      return;
    default:
      fail(`unsupported instruction ${instruction}`);
  }
}
