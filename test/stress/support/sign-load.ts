import http from 'node:http';

const HOST = '127.0.0.1';

/** What a caller saw: the status and the body's error code (or `ok`), or a network error. */
export interface SignOutcome {
  status: number;
  label: string;
}

/** POST /sign callers over one keep-alive agent. */
export class SignClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly port: number,
    sockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  /** Posts a prepared JSON body; never rejects. */
  post(body: string, headers: Record<string, string> = {}): Promise<SignOutcome> {
    return new Promise((done) => {
      const req = http.request(
        {
          agent: this.agent,
          host: HOST,
          port: this.port,
          method: 'POST',
          path: '/sign',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...headers,
          },
          timeout: 30_000,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => done({ status: res.statusCode ?? 0, label: labelOf(res.statusCode, text) }));
          res.on('error', (error) => done({ status: 0, label: `net:${error.message}` }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('client timeout')));
      req.on('error', (error: NodeJS.ErrnoException) =>
        done({ status: 0, label: `net:${error.code ?? error.message}` }),
      );
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function labelOf(status: number | undefined, text: string): string {
  if (status === 200) return 'ok';
  try {
    const { error } = JSON.parse(text) as { error?: unknown };
    return `${status} ${typeof error === 'string' ? error : 'unknown'}`;
  } catch {
    return `${status} unparsable`;
  }
}

/** Counts of each label. */
export class Tally {
  readonly counts = new Map<string, number>();

  add(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }

  get(label: string): number {
    return this.counts.get(label) ?? 0;
  }

  toString(): string {
    return [...this.counts].map(([label, count]) => `${label}: ${count}`).join(', ') || 'none';
  }
}

/** Runs `once` back to back on `callers` loops until `stop()` returns true. */
export async function loop(callers: number, stop: () => boolean, once: () => Promise<void>): Promise<void> {
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (!stop()) await once();
    }),
  );
}
