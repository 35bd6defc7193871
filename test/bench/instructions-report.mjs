// Reads a callgrind profile of a SigSocket server for instructions.mjs: self instructions per
// function, sorted into categories, and the JIT-compiled ones named after their JS functions.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const LINE = /^\s*([\d,]+) \([ \d.]+%\)\s+(.*)$/;

/** Self instructions of every function in a callgrind output file: [{ name, ir }]. */
export function readCallgrind(file) {
  const text = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', file], {
    maxBuffer: 256 * 1024 * 1024,
  }).toString();
  const functions = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (match === null || match[2].includes('PROGRAM TOTALS')) continue;
    functions.push({ name: match[2], ir: Number(match[1].replaceAll(',', '')) });
  }
  return functions;
}

// First match wins. JIT-compiled code has no symbol: callgrind shows it as `???:0x... [???]`.
const CATEGORIES = [
  ['secp256k1', (name) => name.includes('secp256k1')],
  [
    'jit compiler',
    (name) =>
      /compiler::|maglev::|turboshaft::|baseline::|interpreter::|internal::Compiler::|internal::Parser|ParserBase<|internal::Zone::/.test(
        name,
      ),
  ],
  ['gc', (name) => /Heap|Scaveng|Mark|Sweep|Evacuat|GC|Remembered|SlotSet|Compact/.test(name)],
  ['js code', (name) => name.endsWith('[???]')],
  ['v8 builtins', (name) => name.includes('Builtins_')],
  ['libc', (name) => /libc\.so|ld-linux|libm\.so/.test(name)],
  ['v8 runtime', (name) => name.includes('v8::')],
  ['node and libuv', () => true],
];

/** Instructions per sign by category. */
export function categorize(functions, signs) {
  const out = {};
  for (const { name, ir } of functions) {
    const [category] = CATEGORIES.find(([, test]) => test(name));
    out[category] = (out[category] ?? 0) + ir / signs;
  }
  return out;
}

/**
 * Instructions per sign of each JS function, from the code addresses of the `js code` category
 * and the perf map Node writes with `--perf-basic-prof-only-functions`. An address the map does
 * not cover (regular expressions' code, say) is counted as `(unnamed code)`.
 */
export function attributeToJs(functions, perfMap, signs) {
  if (!existsSync(perfMap)) return {};
  const ranges = readFileSync(perfMap, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [start, size, ...name] = line.split(' ');
      return {
        start: parseInt(start, 16),
        end: parseInt(start, 16) + parseInt(size, 16),
        name: name.join(' '),
      };
    })
    .sort((a, b) => a.start - b.start);
  const out = {};
  for (const { name, ir } of functions) {
    const match = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(name);
    if (match === null) continue;
    const js = nameAt(ranges, parseInt(match[1], 16));
    out[js] = (out[js] ?? 0) + ir / signs;
  }
  return out;
}

function nameAt(ranges, address) {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (ranges[mid].start <= address) low = mid + 1;
    else high = mid - 1;
  }
  // Code is freed and its addresses reused: the range that starts nearest below the address and
  // covers it wins (of ranges that start at the same address, the one written last).
  for (let i = high; i >= 0 && i > high - 64; i--) {
    const range = ranges[i];
    if (range.start <= address && address < range.end) return shorten(range.name);
  }
  return '(unnamed code)';
}

function shorten(name) {
  return name
    .replace(/file:\/\/\S*?\/(dist|node_modules)\//, '$1/')
    .replace(/\S*?\/node_modules\//, 'node_modules/');
}
