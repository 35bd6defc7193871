import { spawn } from 'node:child_process';

const MAIN = new URL('../dist/main.js', import.meta.url).pathname;

interface Outcome {
  code: number | null;
  output: string;
}

/** Runs the built server with only these variables, expecting it to stop at boot. */
function boot(env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not stop at boot: ${output}`));
    }, 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('boot errors', () => {
  it('refuse a non-loopback HOST without API_KEYS, in one line naming API_KEYS and ALLOW_ANONYMOUS', async () => {
    const { code, output } = await boot({ HOST: '0.0.0.0' });
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/API_KEYS.*ALLOW_ANONYMOUS/);
  });

  it('are one JSON line with LOG_FORMAT=json and never print an API key', async () => {
    const keys = 'app=valid-secret-number-one,too-short-key';
    const { code, output } = await boot({ LOG_FORMAT: 'json', API_KEYS: keys });
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]) as { level: string; msg: string };
    expect(line.level).toBe('error');
    expect(line.msg).toMatch(/API_KEYS.*entry 2 \(13 characters\)/);
    for (const secret of ['valid-secret-number-one', 'too-short-key']) expect(output).not.toContain(secret);
  });
});
