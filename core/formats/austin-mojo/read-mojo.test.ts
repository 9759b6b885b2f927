import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameKind, ProfileError, frameKindOf, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { stacksOf, testDataDir } from '~/test/fixtures';
import { threadRoots } from '~/core/analysis/threads';
import { openProfile } from '../open-profile';
import { formatOf } from '../registry';
import { looksLikeMojo, parseMojo } from './read-mojo';

/** Real recordings of austin 3.7.0 (see test/data/austin/README.md). */
const dataDir = join(testDataDir, 'austin');
const read = (name: string) => new Uint8Array(readFileSync(join(dataDir, name)));

interface Truth {
  metadata: Record<string, string>;
  samples: number;
  weight: number;
  idle: number;
  released_samples: number;
  released_kib: number;
  threads: Record<string, number>;
  invalid_samples: number;
  gc_samples: number;
  heaviest_stacks: Record<string, number>;
}
const truthOf = (base: string) => JSON.parse(readFileSync(join(dataDir, `${base}.truth.json`), 'utf8')) as Truth;

const labelOf = (p: Profile, f: number) => stringAt(p.strings, p.frames.label[f]);
const MARKS = new Set([':INVALID:', ':GC:']);

/** Stacks by label, leaving out austin's `:INVALID:` and `:GC:` marks, which austin-python's converter drops. */
function unmarkedStacks(p: Profile): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [stack, w] of Object.entries(stacksOf(p, labelOf))) {
    const key = stack
      .split(';')
      .filter((f) => !MARKS.has(f))
      .join(';');
    out[key] = (out[key] ?? 0) + w;
  }
  return out;
}

/** Each thread root's total, as `P<pid>;T<iid>:<tid>`. */
function threadTotals(p: Profile): Record<string, number> {
  const out: Record<string, number> = {};
  const { tree } = p;
  for (let i = 0; i < tree.count; i++) {
    if (tree.depth[i] !== 1) continue;
    const key = `${labelOf(p, tree.frame[tree.parent[i]])};${labelOf(p, tree.frame[i])}`;
    out[key] = (out[key] ?? 0) + tree.total[i];
  }
  return out;
}

const RECORDINGS = ['threads-wall', 'threads-full', 'threads-memory', 'multi-children'];

describe.each(RECORDINGS)('the austin recording %s', (base) => {
  const truth = truthOf(base);
  const profile = parseMojo(read(`${base}.mojo`), `${base}.mojo`);

  it('opens as MOJO, by its content alone', async () => {
    expect(formatOf(read(`${base}.mojo`).subarray(0, 65536)).name).toBe('austin mojo');
    const opened = await openProfile(new Blob([read(`${base}.mojo`)]), 'recording');
    expect(opened.format).toBe('austin-mojo');
    expect(opened.samples).toBe(profile.samples);
  });

  it("has austin-python's totals: per thread, idle, and released memory", () => {
    const threads = threadTotals(profile);
    expect(Object.keys(threads).sort()).toEqual(Object.keys(truth.threads).sort());
    for (const [thread, total] of Object.entries(truth.threads)) expect(threads[thread]).toBeCloseTo(total, 6);
    expect(profile.samples).toBeCloseTo(truth.weight, 6);
    expect(profile.idle).toBe(truth.idle);
    expect(profile.unit).toBe(truth.metadata.mode === 'memory' ? 'kilobytes' : 'microseconds');
    const released = profile.warnings.find((w) => w.includes('released memory'));
    if (truth.released_samples === 0) expect(released).toBeUndefined();
    else expect(released).toContain(`${truth.released_samples} samples that released memory`);
  });

  it("has austin-python's heaviest stacks, weight for weight", () => {
    const stacks = stacksOf(profile, labelOf);
    for (const [stack, weight] of Object.entries(truth.heaviest_stacks)) expect(stacks[stack]).toBeCloseTo(weight, 6);
  });

  it("marks samples austin could not read whole, and the collector's, as its text does", () => {
    const marked = (mark: string) =>
      Object.entries(stacksOf(profile, labelOf)).filter(([s]) => s.split(';').includes(mark)).length;
    expect(marked(':INVALID:') > 0).toBe(truth.invalid_samples > 0);
    expect(marked(':GC:') > 0).toBe(truth.gc_samples > 0);
    for (let f = 0; f < profile.frames.count; f++)
      if (MARKS.has(labelOf(profile, f))) expect(frameKindOf(profile.frames, f)).toBe(FrameKind.synthetic);
  });

  it('puts processes at the root and their threads below', () => {
    const { tree } = profile;
    for (let i = 0; i < tree.count; i++) {
      const kind = frameKindOf(profile.frames, tree.frame[i]);
      if (tree.depth[i] === 0) expect(kind).toBe(FrameKind.process);
      else if (tree.depth[i] === 1) expect(kind).toBe(FrameKind.thread);
      else expect(kind === FrameKind.code || kind === FrameKind.synthetic).toBe(true);
    }
  });
});

/** austin-python's `mojo2austin` wrote each of these text twins from the recording itself. */
describe.each(['threads-wall', 'threads-memory', 'multi-children'])('%s and its text twin', (base) => {
  it('give one tree, once the marks the converter drops are dropped', async () => {
    const mojo = parseMojo(read(`${base}.mojo`), `${base}.mojo`);
    const text = await openProfile(new Blob([read(`${base}.austin.gz`)]), `${base}.austin`);
    expect(text.format).toBe('austin');
    expect(mojo.unit).toBe(text.unit);
    expect(mojo.samples).toBeCloseTo(text.samples, 6);
    const a = unmarkedStacks(mojo);
    const b = stacksOf(text, labelOf);
    expect(Object.keys(a).length).toBeGreaterThan(5);
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a)) expect(a[k]).toBeCloseTo(b[k], 6);
    const roots = (p: Profile) => {
      const { frame, total } = threadRoots(p);
      return Array.from(frame, (f, i) => `${labelOf(p, f)} ${frameKindOf(p.frames, f)} ${total[i].toFixed(3)}`).sort();
    };
    expect(roots(mojo)).toEqual(roots(text));
    expect(roots(mojo).length).toBeGreaterThan(0);
  });
});

/** MOJO written byte for byte in the test, as austin's `src/mojo.h` lays it out. */
class MojoWriter {
  private readonly out: number[];
  constructor(version: number) {
    this.out = [0x4d, 0x4f, 0x4a];
    this.int(version);
  }

  int(n: number, negative = false): this {
    let b = (n % 64) | (negative ? 0x40 : 0);
    n = Math.floor(n / 64);
    this.out.push(n ? b | 0x80 : b);
    while (n) {
      b = n % 128;
      n = Math.floor(n / 128);
      this.out.push(n ? b | 0x80 : b);
    }
    return this;
  }

  string(s: string): this {
    this.out.push(...new TextEncoder().encode(s), 0);
    return this;
  }

  event(id: number): this {
    this.out.push(id);
    return this;
  }

  get length(): number {
    return this.out.length;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

const E = { metadata: 1, stack: 2, frame: 3, invalid: 4, ref: 5, kernel: 6, gc: 7, idle: 8, time: 9, memory: 10 };
const E2 = { string: 11, stringRef: 12, repeat: 13 };

/** Defines strings `file`, `name` and frame `key` from them, in the open sample's process (version 2 and up). */
function defineFrame(w: MojoWriter, key: number, file: string, name: string, line: number, version = 3): MojoWriter {
  w.event(E2.string)
    .int(key * 2 + 10)
    .string(file);
  w.event(E2.string)
    .int(key * 2 + 11)
    .string(name);
  w.event(E.frame)
    .int(key)
    .int(key * 2 + 10)
    .int(key * 2 + 11)
    .int(line);
  if (version >= 2) w.int(line).int(0).int(0);
  return w;
}

function stacksByLabel(bytes: Uint8Array): Record<string, number> {
  const p = parseMojo(bytes, 'written.mojo');
  return stacksOf(p, labelOf);
}

describe('MOJO written in the test from the spec', () => {
  it('version 3: interpreter and hex thread id, frames by reference, kernel frames, GC and idle', () => {
    const w = new MojoWriter(3).event(E.metadata).string('mode').string('full');
    w.event(E.stack).int(7).int(0).string('1f');
    defineFrame(w, 1, 'app.py', 'main', 3);
    defineFrame(w, 2, 'app.py', 'work', 9);
    w.event(E.ref).int(1).event(E.ref).int(2).event(E.kernel).string('do_syscall_64').event(E.gc);
    w.event(E.time).int(1500).event(E.memory).int(2048, true);
    w.event(E.stack).int(7).int(0).string('1f').event(E.ref).int(1).event(E.time).int(700).event(E.idle);
    w.event(E.memory).int(0);
    w.event(E.stack).int(7).int(2).string('ffffffffffffffff').event(E.ref).int(2).event(E.time).int(40);
    const p = parseMojo(w.bytes(), 'written.mojo');
    expect(stacksOf(p, labelOf)).toEqual({
      'P7;T0:31;app.py:main:3;app.py:work:9;kernel:do_syscall_64:0;:GC:': 1500,
      'P7;T2:18446744073709551615;app.py:work:9': 40,
    });
    expect(p.idle).toBe(700);
    expect(p.unit).toBe('microseconds');
  });

  it('version 1: no interpreter, no columns; string 1 is <unknown>', () => {
    const w = new MojoWriter(1).event(E.metadata).string('mode').string('cpu');
    w.event(E.stack).int(12).string('a');
    defineFrame(w, 4, 'lib.py', 'f', 21, 1);
    w.event(E.frame).int(5).int(18).int(1).int(0);
    w.event(E.ref).int(4).event(E.ref).int(5).event(E.invalid).event(E.time).int(100);
    expect(stacksByLabel(w.bytes())).toEqual({ 'P12;T10;lib.py:f:21;lib.py:<unknown>:0;:INVALID:': 100 });
  });

  it('memory mode: KiB allocated, released memory told apart', () => {
    const w = new MojoWriter(3).event(E.metadata).string('mode').string('memory');
    w.event(E.stack).int(1).int(0).string('1');
    defineFrame(w, 1, 'm.py', 'grow', 2);
    w.event(E.ref).int(1).event(E.memory).int(4096);
    w.event(E.stack).int(1).int(0).string('1').event(E.ref).int(1).event(E.memory).int(1024, true);
    const p = parseMojo(w.bytes(), 'written.mojo');
    expect(stacksOf(p, labelOf)).toEqual({ 'P1;T0:1;m.py:grow:2': 4 });
    expect(p.unit).toBe('kilobytes');
    expect(p.warnings).toEqual([
      '1 samples that released memory (1 KiB in all) are left out: the tree shows allocations.',
    ]);
  });

  it("version 4: a repeat puts the thread's last stack, less its native top and marks, below the new frames", () => {
    const w = new MojoWriter(4).event(E.metadata).string('mode').string('wall');
    w.event(E.stack).int(3).int(0).string('a');
    defineFrame(w, 1, 'a.py', 'outer', 1);
    defineFrame(w, 2, 'a.py', 'inner', 2);
    defineFrame(w, 3, 'libc.so', 'read', 0);
    w.event(E.ref).int(1).event(E.ref).int(2).event(E.ref).int(3).event(E.gc).event(E.time).int(10);
    w.event(E.stack).int(3).int(0).string('b').event(E.ref).int(1).event(E.time).int(5);
    defineFrame(w.event(E.stack).int(3).int(0).string('a'), 4, 'a.py', 'leaf', 4);
    w.event(E.ref).int(4).event(E2.repeat).event(E.time).int(20);
    w.event(E.stack).int(3).int(0).string('a').event(E2.repeat).event(E.time).int(1);
    expect(stacksByLabel(w.bytes())).toEqual({
      'P3;T0:10;a.py:outer:1;a.py:inner:2;libc.so:read:0;:GC:': 10,
      'P3;T0:11;a.py:outer:1': 5,
      'P3;T0:10;a.py:outer:1;a.py:inner:2;a.py:leaf:4': 21,
    });
  });

  it('keys of processes apart: a child defines its own frames under the keys of its parent', () => {
    const w = new MojoWriter(3).event(E.metadata).string('mode').string('wall');
    defineFrame(w.event(E.stack).int(1).int(0).string('1'), 1, 'parent.py', 'p', 1).event(E.ref).int(1);
    w.event(E.time).int(3);
    defineFrame(w.event(E.stack).int(2).int(0).string('2'), 1, 'child.py', 'c', 1).event(E.ref).int(1);
    w.event(E.time).int(4).event(E.stack).int(1).int(0).string('1').event(E.ref).int(1).event(E.time).int(5);
    expect(stacksByLabel(w.bytes())).toEqual({ 'P1;T0:1;parent.py:p:1': 8, 'P2;T0:2;child.py:c:1': 4 });
  });

  it('keeps the samples of a recording cut inside an event, and says so', () => {
    const w = new MojoWriter(3).event(E.metadata).string('mode').string('wall');
    defineFrame(w.event(E.stack).int(1).int(0).string('1'), 1, 'a.py', 'f', 1).event(E.ref).int(1);
    w.event(E.time).int(3).event(E.stack).int(1).int(0);
    const cutAt = w.length;
    w.string('1').event(E.ref).int(1).event(E.time).int(300);
    const p = parseMojo(w.bytes().subarray(0, cutAt + 1), 'cut.mojo');
    expect(stacksOf(p, labelOf)).toEqual({ 'P1;T0:1;a.py:f:1': 3 });
    expect(p.warnings[0]).toMatch(/^The recording ends inside an event at byte \d+/);
  });
});

describe('bad MOJO', () => {
  const start = () => new MojoWriter(3).event(E.metadata).string('mode').string('wall');
  const refusal = (bytes: Uint8Array): string => {
    try {
      parseMojo(bytes, 'bad.mojo');
    } catch (e) {
      expect(e).toBeInstanceOf(ProfileError);
      return (e as Error).message;
    }
    throw new Error('read');
  };

  it('refuses, with the byte offset of the event: an unknown event, a dangling reference, a long integer', () => {
    const w = start();
    const at = w.length;
    expect(refusal(w.event(0x33).bytes())).toBe(`event 51 is not one austin writes in MOJO version 3 (at byte ${at})`);
    const dangling = start().event(E.stack).int(1).int(0).string('1');
    const refAt = dangling.length;
    expect(refusal(dangling.event(E.ref).int(99).bytes())).toBe(
      `a frame reference names frame 99, which its process has not defined (at byte ${refAt})`,
    );
    const long = start().event(E.stack);
    const longAt = long.length - 1;
    const bytes = Uint8Array.from([...long.bytes(), ...new Array<number>(12).fill(0xff), 0]);
    expect(refusal(bytes)).toBe(`an integer is longer than 10 bytes (at byte ${longAt})`);
  });

  it('refuses frames and metrics before any stack, a repeat before version 4, and versions it does not know', () => {
    expect(refusal(defineFrame(start(), 1, 'a.py', 'f', 1).bytes())).toMatch(/^a string comes before any stack/);
    expect(refusal(start().event(E.time).int(5).bytes())).toMatch(/^a time comes before any stack/);
    expect(refusal(start().event(E.stack).int(1).int(0).string('1').event(E2.repeat).bytes())).toMatch(
      /^event 13 is not one austin writes in MOJO version 3/,
    );
    expect(refusal(new MojoWriter(9).bytes())).toBe('MOJO version 9 is not one Kiln reads (1 to 4) (at byte 3)');
    expect(refusal(start().bytes())).toBe('the MOJO recording holds no samples');
  });

  it('refuses a stack deeper than any program has, and a string longer than any name', () => {
    const w = start().event(E.stack).int(1).int(0).string('1');
    defineFrame(w, 1, 'a.py', 'f', 1);
    for (let i = 0; i <= 20_000; i++) w.event(E.ref).int(1);
    expect(refusal(w.bytes())).toMatch(/^a stack holds more than 20000 frames/);
    const long = start().event(E.metadata).string('x').string('y'.repeat(70_000));
    expect(refusal(long.bytes())).toMatch(/^a string is longer than 64 KiB/);
  });

  it('cut at any offset of a real recording: its samples so far or a ProfileError, never another error', () => {
    const bytes = read('threads-memory.mojo');
    for (let n = 0; n < bytes.length; n++) {
      try {
        const p = parseMojo(bytes.subarray(0, n), 'cut.mojo');
        expect(p.samples).toBeLessThanOrEqual(truthOf('threads-memory').weight + 1e-9);
      } catch (e) {
        expect(e).toBeInstanceOf(ProfileError);
      }
    }
  });

  it('is told from other data by its first bytes', () => {
    expect(looksLikeMojo(new TextEncoder().encode('MOJO is a word'))).toBe(false);
    expect(looksLikeMojo(Uint8Array.of(0x4d, 0x4f, 0x4a, 3))).toBe(true);
    expect(looksLikeMojo(Uint8Array.of(0x4d, 0x4f, 0x4a))).toBe(false);
  });
});
