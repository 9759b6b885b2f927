import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { concat } from '~/core/io/file-bytes';
import type { Seed } from './corpus';
import type { FuzzInput } from './targets';

/**
 * Edits of a real file. Offsets are plain naturals taken modulo the length at the time the edit
 * applies, so that every edit fits any file and shrinking moves it towards the start.
 */
export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'erase'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number; times: number }
  | { kind: 'splice'; source: number; from: number; length: number; to: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'nest'; at: number; unit: Uint8Array; depth: number }
  /** Rewrites the value after the n-th marshal float (`g`) or int (`i`) code: times and counts of any sign or size. */
  | { kind: 'number'; nth: number; value: number };

export interface Case {
  seed: number;
  mutations: Mutation[];
  /** Where a stream cuts the bytes into chunks. */
  cuts: number[];
  /** Whether the mutated bytes are then gzip'd, and which byte of the gzip data is then flipped. */
  gzip: { flip: number | null } | null;
}

const enc = new TextEncoder();
const int32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return [...b];
};
const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...enc.encode(p)] : p)));

/** Lengths and counts a reader must check against the bytes left before it believes them. */
const ABSURD_INT32 = [0x7fffffff, -1, -0x80000000, 0x40000000, 0x10000, 0x0fffffff];

/** Marshal type codes followed by absurd lengths, references and counts. */
const marshalTokens: Uint8Array[] = [
  ...[0x28, 0x5b, 0x3c, 0x3e, 0x73, 0x75, 0x74, 0x61, 0x6c, 0x72, 0x52].flatMap((code) =>
    ABSURD_INT32.map((n) => bytes([code], int32(n))),
  ),
  bytes([0x29, 0xff]),
  bytes([0x7a, 0xff]),
  bytes([0x66, 0xff]),
  bytes('{'),
  bytes('0'),
  bytes('c'),
  bytes('y'),
  bytes([0xa8], int32(3)),
  bytes([0xfb]),
  bytes('N'),
  bytes('g', [0, 0, 0, 0, 0, 0, 0xf8, 0x7f]),
  bytes('g', [0, 0, 0, 0, 0, 0, 0xf0, 0xff]),
  bytes('I', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
  bytes('l', int32(3), [0xff, 0x7f, 0xff, 0x7f, 0xff, 0x7f]),
];

/** Pieces of the stack dialects and of text that trips readers: huge counts, odd line breaks, marks. */
const textTokens: Uint8Array[] = [
  bytes(' ', '9'.repeat(400)),
  bytes(' 18446744073709551617'),
  bytes(' -5'),
  bytes(' 1.5'),
  bytes(' 1e400'),
  bytes(' .'),
  bytes('\n', '9'.repeat(400), '\n'),
  bytes('\n1500000000000000\n(idle)\n'),
  bytes('\n1500000000000000\na:b:1;\n'),
  bytes('(idle) 3\n'),
  bytes('(failed) 2\n'),
  bytes('\n(idle) ', '9'.repeat(400), '\n'),
  bytes('\r'),
  bytes('\r\n'),
  bytes('\n'),
  bytes([0]),
  bytes([0xef, 0xbb, 0xbf]),
  bytes([0xff, 0xfe]),
  bytes([0xc3]),
  bytes([0xf0, 0x9f]),
  bytes(';'),
  bytes(':'),
  bytes(' ('),
  bytes(')'),
  bytes(';L12'),
  bytes(';<idle>'),
  bytes('# austin: 3.6.0\n'),
  bytes('# mode: memory\n'),
  bytes('# mode: full\n'),
  bytes('P1;T0:1;'),
  bytes('Thread 1;'),
  bytes('Process 7;'),
  bytes('run (t.py:12);'),
  bytes('thread (0x7f00);'),
  bytes(' 12,0,-4096'),
  bytes(' 10 -3 4'),
  bytes('x'.repeat(70_000)),
  bytes('\n', 'a;'.repeat(25_000), 'b 1\n'),
];

/** What repeats to make deep nesting: marshal containers and stack frames. */
const nestUnits: Uint8Array[] = [
  bytes('[', int32(1)),
  bytes([0x29, 1]),
  bytes([0xa9, 1]),
  bytes('{'),
  bytes('a:f:1;'),
  bytes(';'),
];

const offset = fc.nat();

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('flip' as const), at: offset, bit: fc.integer({ min: 0, max: 7 }) }),
    weight: 4,
  },
  fc.record({ kind: fc.constant('truncate' as const), at: offset }),
  fc.record({ kind: fc.constant('erase' as const), at: offset, length: fc.integer({ min: 1, max: 256 }) }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: offset,
    length: fc.integer({ min: 1, max: 512 }),
    times: fc.integer({ min: 1, max: 64 }),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    source: fc.nat(),
    from: offset,
    length: fc.integer({ min: 1, max: 2048 }),
    to: offset,
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: offset,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
  {
    arbitrary: fc.record({
      kind: fc.constant('overwrite' as const),
      at: offset,
      bytes: fc.constantFrom(...marshalTokens),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('insert' as const), at: offset, bytes: fc.constantFrom(...textTokens) }),
    weight: 2,
  },
  fc.record({
    kind: fc.constant('nest' as const),
    at: offset,
    unit: fc.constantFrom(...nestUnits),
    depth: fc.integer({ min: 50, max: 30_000 }),
  }),
  { arbitrary: fc.record({ kind: fc.constant('number' as const), nth: fc.nat(), value: fc.double() }), weight: 2 },
);

export function caseOf(seedCount: number, gzip: boolean): fc.Arbitrary<Case> {
  return fc.record({
    seed: fc.integer({ min: 0, max: seedCount - 1 }),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    cuts: fc.array(fc.nat(), { maxLength: 12 }),
    gzip: gzip ? fc.option(fc.record({ flip: fc.option(fc.nat()) }), { freq: 4 }) : fc.constant(null),
  });
}

function mutate(input: Uint8Array, m: Mutation, seeds: readonly Seed[]): Uint8Array {
  const n = input.length;
  const at = 'at' in m ? m.at % (n + 1) : 0;
  switch (m.kind) {
    case 'flip': {
      if (n === 0) return input;
      const out = input.slice();
      out[m.at % n] ^= 1 << m.bit;
      return out;
    }
    case 'truncate':
      return input.subarray(0, at);
    case 'erase':
      return join(input.subarray(0, at), input.subarray(at + m.length));
    case 'duplicate': {
      const region = input.subarray(at, at + m.length);
      return join(
        input.subarray(0, at),
        ...new Array<Uint8Array>(m.times + 1).fill(region),
        input.subarray(at + m.length),
      );
    }
    case 'splice': {
      const source = seeds[m.source % seeds.length].bytes;
      const from = m.from % (source.length + 1);
      const to = m.to % (n + 1);
      return join(input.subarray(0, to), source.subarray(from, from + m.length), input.subarray(to));
    }
    case 'insert':
      return join(input.subarray(0, at), m.bytes, input.subarray(at));
    case 'overwrite':
      return join(input.subarray(0, at), m.bytes, input.subarray(at + m.bytes.length));
    case 'nest':
      return join(input.subarray(0, at), ...new Array<Uint8Array>(m.depth).fill(m.unit), input.subarray(at));
    case 'number':
      return withNumber(input, m.nth, m.value);
  }
}

const FLOAT = 0x67;
const INT = 0x69;

function withNumber(input: Uint8Array, nth: number, value: number): Uint8Array {
  const codes: number[] = [];
  input.forEach((b, i) => ((b & 0x7f) === FLOAT || (b & 0x7f) === INT ? codes.push(i) : undefined));
  if (codes.length === 0) return input;
  const at = codes[nth % codes.length];
  const out = input.slice();
  const view = new DataView(out.buffer);
  if ((out[at] & 0x7f) === FLOAT && at + 9 <= out.length) view.setFloat64(at + 1, value, true);
  else if (at + 5 <= out.length) view.setInt32(at + 1, Number.isFinite(value) ? Math.trunc(value) % 2 ** 31 : -1, true);
  return out;
}

const join = (...parts: Uint8Array[]): Uint8Array => concat(parts);

/** The input a case describes: its seed file with the mutations applied, then gzip'd if asked. */
export function inputOf(c: Case, seeds: readonly Seed[]): FuzzInput {
  let out = seeds[c.seed].bytes;
  for (const m of c.mutations) out = mutate(out, m, seeds);
  if (!c.gzip) return { bytes: out, cuts: c.cuts };
  const gz = new Uint8Array(gzipSync(out));
  if (c.gzip.flip !== null) gz[c.gzip.flip % gz.length] ^= 1 << (c.gzip.flip % 8);
  return { bytes: gz, cuts: c.cuts, inflated: out.length };
}
