import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../support/child-process.js';
import { within } from '../../support/wait.js';

const TEMPLATE = fileURLToPath(new URL('../../../docker/nginx/sigsocket.conf.template', import.meta.url));
const HOST = '127.0.0.1';

/** docker/nginx/sigsocket.conf.template with its variables filled in, as the nginx image does. */
export function renderTemplate(variables: Record<string, string>): string {
  return readFileSync(TEMPLATE, 'utf8').replace(/\$\{([A-Z_]+)\}/g, (_text, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`the template needs ${name}`);
    return value;
  });
}

/** Upstream lines for instances on 127.0.0.1; a failed one is skipped for a second only. */
export function upstreamsOf(ports: number[]): string {
  return ports.map((port) => `server ${HOST}:${port} max_fails=1 fail_timeout=1s;`).join('\n    ');
}

/** The main configuration around the template: one worker, in the foreground, all files in `prefix`. */
function mainConfig(prefix: string, site: string): string {
  return `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path ${prefix}/body;
    proxy_temp_path ${prefix}/proxy;
    fastcgi_temp_path ${prefix}/fastcgi;
    uwsgi_temp_path ${prefix}/uwsgi;
    scgi_temp_path ${prefix}/scgi;
    include ${site};
}
`;
}

/** Debian's nginx, in the foreground, serving the repository's config in front of `upstreamPorts`. */
export class Nginx {
  private readonly log: string[] = [];
  private readonly exit: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly prefix: string,
    readonly port: number,
  ) {
    const keep = (chunk: Buffer): void => void this.log.push(chunk.toString());
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  /** Starts nginx on `port` (default: a spare one) and resolves once it accepts connections. */
  static async start(upstreamPorts: number[], port?: number): Promise<Nginx> {
    const binary = nginxBinary();
    const listen = port ?? (await freePort());
    const prefix = mkdtempSync(join(tmpdir(), 'sigsocket-nginx-'));
    const site = join(prefix, 'sigsocket.conf');
    writeFileSync(
      site,
      renderTemplate({ SIGSOCKET_UPSTREAMS: upstreamsOf(upstreamPorts), NGINX_PORT: `${HOST}:${listen}` }),
    );
    writeFileSync(join(prefix, 'nginx.conf'), mainConfig(prefix, site));
    const child = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const nginx = new Nginx(child, prefix, listen);
    await nginx.waitListening();
    return nginx;
  }

  get url(): string {
    return `http://${HOST}:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://${HOST}:${this.port}/ws`;
  }

  /** What nginx wrote to its error log, for a failure message. */
  output(): string {
    return this.log.join('');
  }

  /** A graceful stop (SIGQUIT): nginx finishes what it is proxying, then exits; its files go. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGQUIT');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exit;
      clearTimeout(timer);
    }
    rmSync(this.prefix, { recursive: true, force: true });
  }

  private async waitListening(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`nginx exited at start:\n${this.output()}`);
      if (await accepts(this.port)) return;
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${this.port}:\n${this.output()}`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}

/** The nginx binary; .ci/run installs Debian's package when it is missing. */
function nginxBinary(): string {
  try {
    return execFileSync('/bin/sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nginx is not installed: apt-get install -y nginx (as .ci/run does)');
  }
}

function accepts(port: number): Promise<boolean> {
  return within(
    new Promise<boolean>((done) => {
      const socket = net.connect(port, HOST);
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    }),
    2000,
    'a TCP connection to nginx',
  );
}
