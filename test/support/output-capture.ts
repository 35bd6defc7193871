import { jest } from '@jest/globals';

/** Captures what the process writes to stdout and stderr, line by line, until restored. */
export class OutputCapture {
  private readonly chunks: string[] = [];
  private readonly spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    }),
  );

  lines(): string[] {
    return this.chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '');
  }

  restore(): void {
    for (const spy of this.spies) spy.mockRestore();
  }
}
