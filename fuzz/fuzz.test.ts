import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parserProperty, seedsFor } from './campaign';
import { loadSeeds } from './corpus';
import { profileViolations } from './invariants';
import { TARGETS, feed, type Target } from './targets';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
import { fixtureFiles, readBytes, readText } from '~/test/fixtures';

/** Short campaigns for every run of the suite; `npm run fuzz` runs the long one. */
const RUNS: Record<Target, number> = {
  parsePstats: 1500,
  readSetMember: 800,
  parseStackText: 600,
  parseStackStream: 400,
  parseGecko: 300,
  parseTachyonBinary: 600,
  parseSpeedscope: 300,
  parseChromeTrace: 300,
  parsePyinstrument: 300,
  parseCallgrindStream: 400,
  parsePprof: 600,
  parseFlamegraphHtml: 300,
  parseTachyonJsonl: 300,
  parseMojo: 600,
  openProfile: 300,
};
const SEED_BYTES = 32 * 1024;

describe('mutated real files', () => {
  for (const target of TARGETS) {
    it(`${target}: a sound profile or a ProfileError, in bounded time and memory`, async () => {
      await fc.assert(parserProperty(target, seedsFor(target, SEED_BYTES)), { numRuns: RUNS[target] });
    });
  }
});

describe('every cut and every absurd length of small real files', () => {
  it('truncated at every offset', async () => {
    const smallest = (prefix: string) => loadSeeds('stacks', SEED_BYTES).find((s) => s.name.startsWith(prefix))!;
    const stacks = ['pyflame/idle', 'pyflame/idle-py36-exclude-idle-flamechart', 'austin/'].map(smallest);
    for (const { bytes } of stacks) {
      for (let n = 1; n <= bytes.length; n++) {
        await feed('parseStackText', { bytes: bytes.subarray(0, n), cuts: [] });
        await feed('parseStackStream', { bytes: bytes.subarray(0, n), cuts: [n >> 1] });
      }
    }
    const [pstats] = loadSeeds('pstats', SEED_BYTES);
    for (let n = 1; n < pstats.bytes.length; n++) {
      const outcome = await feed('parsePstats', { bytes: pstats.bytes.subarray(0, n), cuts: [] });
      expect(outcome.kind).toBe('rejected');
    }
  });

  it('a huge or negative int32 written at every offset of a pstats file', async () => {
    // Python 2 writes int32 lengths before strings and tuples, where Python 3 writes short forms.
    const { bytes } = loadSeeds('pstats', SEED_BYTES).find((s) => s.name.includes('py27'))!;
    const rejected = new Set<string>();
    for (const value of [0x7fffffff, -1, 0x40000000]) {
      for (let at = 0; at + 4 <= bytes.length; at++) {
        const edited = bytes.slice();
        new DataView(edited.buffer).setInt32(at, value, true);
        const outcome = await feed('parsePstats', { bytes: edited, cuts: [] });
        if (outcome.kind === 'rejected') rejected.add(outcome.message.replace(/\d+/g, 'N'));
      }
    }
    // Lengths, counts and references are each checked before they are believed.
    expect([...rejected].join('\n')).toMatch(/invalid length N: only N bytes left/);
    expect([...rejected].join('\n')).toMatch(/reference N to an undefined/);
    expect([...rejected].join('\n')).toMatch(/should be a N-tuple but has N items/);
  });
});

describe("Tachyon's binary recordings against absurd counts and bombs", () => {
  const bin = loadSeeds('tachyon-binary', 1 << 20);

  it('a huge count written at every offset of a recording is refused or read soundly', async () => {
    const { bytes } = bin[0];
    const rejected = new Set<string>();
    // The header, the tables and the footer: the sample data holds varints, which the campaign mutates.
    const stringsAt = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(40, true));
    for (let at = 0; at + 4 <= bytes.length; at = at === 64 ? stringsAt : at + 1) {
      const edited = bytes.slice();
      new DataView(edited.buffer).setUint32(at, 0x7fffffff, true);
      const outcome = await feed('parseTachyonBinary', { bytes: edited, cuts: [] });
      if (outcome.kind === 'rejected') rejected.add(outcome.message.replace(/\d+/g, 'N'));
    }
    const messages = [...rejected].join('\n');
    expect(messages).toMatch(/the footer counts N (strings|frames), more than their table can hold/);
    expect(messages).toMatch(/are not where the header says|footer says/);
  });

  it('a zstd frame that expands without end is stopped, with a message', async () => {
    const { bytes } = bin.find((s) => new DataView(s.bytes.buffer).getUint32(56, true) === 1)!;
    // One zstd frame of run-length blocks of 128 KiB, four bytes each: 3 GiB from 96 KiB.
    const blocks = 24 * 1024;
    const bomb = new Uint8Array(4 + 2 + 4 * blocks);
    bomb.set([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]);
    for (let b = 0; b < blocks; b++) {
      const header = ((128 * 1024) << 3) | (1 << 1) | (b === blocks - 1 ? 1 : 0);
      bomb.set([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0x61], 6 + 4 * b);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const stringsAt = Number(view.getBigUint64(40, true));
    const shift = 64 + bomb.length - stringsAt;
    const out = new Uint8Array(bytes.length + shift);
    out.set(bytes.subarray(0, 64));
    out.set(bomb, 64);
    out.set(bytes.subarray(stringsAt), 64 + bomb.length);
    const o = new DataView(out.buffer);
    o.setBigUint64(40, BigInt(stringsAt + shift), true);
    o.setBigUint64(48, view.getBigUint64(48, true) + BigInt(shift), true);
    o.setBigUint64(out.length - 24, BigInt(out.length), true);
    const outcome = await feed('parseTachyonBinary', { bytes: out, cuts: [] });
    expect(outcome).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/expands more than 100-fold/) });
  });
});

describe('the soundness check the campaigns rely on', () => {
  it('accepts every fixture', () => {
    for (const path of [...fixtureFiles('pstats/out', '.prof'), ...fixtureFiles('pstats/cli/out', '.prof')]) {
      expect(profileViolations(parsePstats(readBytes(path), path))).toEqual([]);
    }
    for (const path of fixtureFiles('pyflame', '.samp'))
      expect(profileViolations(parseStackText(readText(path), path))).toEqual([]);
  });

  it('rejects profiles a view would trip on', () => {
    const p = parseStackText(readText(fixtureFiles('pyflame', '-flamechart.samp')[0]), 'x.samp');
    const broken = (edit: (q: typeof p) => void) => {
      const q = structuredClone(p);
      edit(q);
      return profileViolations(q).join('; ');
    };
    expect(broken((q) => (q.tree.size[0] += 1))).toMatch(/size/);
    expect(broken((q) => (q.tree.parent[1] = 5))).toMatch(/parent 5: not before it/);
    expect(broken((q) => (q.tree.self[1] = NaN))).toMatch(/weighs self NaN/);
    expect(broken((q) => (q.tree.frame[1] = q.frames.count))).toMatch(/has frame/);
    expect(broken((q) => (q.frames.name = q.frames.name.subarray(1)))).toMatch(/frames.name has/);
    expect(broken((q) => (q.samples = Infinity))).toMatch(/samples is Infinity/);
    expect(broken((q) => (q.timeline!.time[0] = Infinity))).toMatch(/timeline time is not finite/);
  });
});
