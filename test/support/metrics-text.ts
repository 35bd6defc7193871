/** The value of one sample in Prometheus text, or undefined when the series is absent. */
export function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',').filter((part) => part !== '');
    if (wanted.length === present.length && wanted.every((label) => present.includes(label))) {
      return Number(match[3]);
    }
  }
  return undefined;
}
