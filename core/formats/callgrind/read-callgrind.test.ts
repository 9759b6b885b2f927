import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileError, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readJson, readText } from '~/test/fixtures';
import { looksLikeCallgrind, parseCallgrindStream } from './read-callgrind';

const read = (text: string, name = 'x.callgrind'): Promise<Profile> =>
  parseCallgrindStream(new Blob([text]).stream(), name);

interface TruthFunction {
  index: number;
  name: string;
  self: number;
  inclusive: number;
  calls_in: number;
  yappi_tsub_us: number;
}
interface Truth {
  functions: TruthFunction[];
  total_self: number;
  header: Record<string, string>;
}

const str = (p: Profile, id: number) => stringAt(p.strings, id);

/** Breaks of the honest-tree invariant: each function's self over its places is its self cost; roots sum to the total. */
function honestTreeBreaks(p: Profile): string[] {
  const s = p.pstats!;
  const placed = new Float64Array(p.frames.count);
  let roots = 0;
  for (let i = 0; i < p.tree.count; i++) {
    placed[p.tree.frame[i]] += p.tree.self[i];
    if (p.tree.parent[i] < 0) roots += p.tree.total[i];
  }
  const breaks: string[] = [];
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  for (let f = 0; f < p.frames.count; f++)
    if (!close(placed[f], s.tt[f])) breaks.push(`${str(p, p.frames.label[f])}: ${placed[f]} placed, ${s.tt[f]} self`);
  if (!close(roots, s.totalTt)) breaks.push(`roots ${roots}, total ${s.totalTt}`);
  return breaks;
}

describe("yappi's callgrind files against the callgrind truth", () => {
  const files = fixtureFiles('yappi', '.callgrind');

  it('finds the cpu and wall files', () => {
    expect(files.map((f) => basename(f))).toEqual(['web-py314-yappi-cpu.callgrind', 'web-py314-yappi-wall.callgrind']);
  });

  for (const path of files) {
    const name = basename(path);
    it(`${name}: self, inclusive and calls of each function, same-named entries as one function`, async () => {
      const truth = readJson<Truth>(`${path}.truth.json`);
      const p = await read(readText(path), name);
      expect(p.format).toBe('callgrind');
      expect(p.unit).toBe('seconds');
      expect(p.invalidLines).toBe(0);
      const s = p.pstats!;
      // yappi writes `name file:line`: one function per text, as callgrind names functions.
      const byText = new Map<string, { self: number; inclusive: number; callsIn: number }>();
      for (const t of truth.functions) {
        const sum = byText.get(t.name) ?? { self: 0, inclusive: 0, callsIn: 0 };
        sum.self += t.self;
        sum.inclusive += t.inclusive;
        sum.callsIn += t.calls_in;
        byText.set(t.name, sum);
      }
      expect(byText.size).toBeLessThan(truth.functions.length);
      expect(p.frames.count).toBe(byText.size);
      for (let f = 0; f < p.frames.count; f++) {
        const text = `${str(p, p.frames.name[f])} ${str(p, p.frames.file[f])}:${p.frames.line[f]}`;
        const want = byText.get(text);
        expect(want, text).toBeDefined();
        expect(s.tt[f] * 1e6).toBeCloseTo(want!.self, 6);
        expect(s.ct[f] * 1e6).toBeCloseTo(want!.inclusive, 6);
        expect(s.nc[f]).toBe(want!.callsIn);
        expect(str(p, p.frames.label[f])).toBe(
          `${str(p, p.frames.file[f])}:${p.frames.line[f]}(${str(p, p.frames.name[f])})`,
        );
      }
      expect(s.totalTt * 1e6).toBeCloseTo(truth.total_self, 6);
      expect(p.samples).toBe(s.totalTt);
    });

    it(`${name}: the estimated tree places each function's self cost exactly and sums to the total`, async () => {
      const p = await read(readText(path), name);
      expect(p.treeIsEstimate).toBe(true);
      expect(p.tree.count).toBeGreaterThan(p.frames.count / 2);
      expect(honestTreeBreaks(p)).toEqual([]);
    });
  }
});

describe('callgrind syntax', () => {
  // As valgrind's callgrind writes it: compressed names, instruction and line positions with
  // subposition compression, two events, inlined code, calls into another object, jumps, totals.
  const valgrind = [
    '# callgrind format',
    'version: 1',
    'creator: callgrind-3.22.0',
    'pid: 4242',
    'cmd:  ./app',
    'part: 1',
    '',
    'desc: I1 cache: ',
    'positions: instr line',
    'events: Ir Dr',
    'summary: 950 300',
    '',
    'ob=(1) /usr/bin/app',
    'fl=(1) app.c',
    'fn=(1) main',
    '0x1000 10 100 20',
    '+4 +1 50',
    '* * 5 5',
    'cob=(2) /lib/libc.so.6',
    'cfi=(2) ???',
    'cfn=(2) (below main)',
    'calls=2 0x2000 0',
    '+2 -1 700 200',
    'jump=1 +8 12',
    '+2 12',
    'fi=(3) inline.h',
    '+4 3 45 10',
    'fe=(1)',
    'cfn=(3) helper',
    'calls=3 0x1100',
    '+4 14 50',
    '',
    'fn=(3)',
    '0x1100 30 50 0',
    '',
    'ob=(2)',
    'fl=(2)',
    'fn=(2)',
    '0x2000 0 700 265',
    'totals: 950 300',
  ].join('\n');

  it('reads names, positions and calls as valgrind writes them, the first event shown', async () => {
    const p = await read(valgrind);
    const s = p.pstats!;
    const labels = Array.from(p.frames.label, (l) => str(p, l));
    expect(labels).toEqual(['app.c:10(main)', '(below main) (/lib/libc.so.6)', 'app.c:30(helper)']);
    expect(p.unit).toBe('events');
    // main: 100 + 50 + 5 + 45 (inlined), the jump's position line costing nothing.
    expect(Array.from(s.tt)).toEqual([200, 700, 50]);
    expect(Array.from(s.ct)).toEqual([200 + 700 + 50, 700, 50]);
    expect(Array.from(s.nc)).toEqual([0, 2, 3]);
    expect(s.totalCalls).toBe(5);
    expect(Array.from(s.edgeCaller)).toEqual([0, 0]);
    expect(Array.from(s.edgeCt)).toEqual([700, 50]);
    expect(s.edgeTt.every(Number.isNaN)).toBe(true);
    expect(p.warnings).toEqual(['costs are the first event the file records, Ir; its others (Dr) are not shown']);
    expect(p.invalidLines).toBe(0);
    expect(honestTreeBreaks(p)).toEqual([]);
    expect(p.tree.total[0]).toBe(950);
  });

  it("says so when the file's totals are not its functions' self costs", async () => {
    const p = await read(valgrind.replace('totals: 950 300', 'totals: 1200 300'));
    expect(p.warnings.join('\n')).toMatch(/`totals:` \(line 40\) says 1,200 Ir; its functions' self costs sum to 950/);
  });

  it('reads pyprof2calltree: nanoseconds, uncompressed names, `name:line` for names a file holds twice', async () => {
    const text = [
      'event: ns : Nanoseconds',
      'events: ns',
      'summary: 3000000',
      'fl=app.py',
      'fn=<module>',
      '1 1000000',
      'cfl=app.py',
      'cfn=f:3',
      'calls=2 3',
      '1 1500000',
      'cfl=app.py',
      'cfn=f:9',
      'calls=1 9',
      '1 500000',
      '',
      'fl=app.py',
      'fn=f:3',
      '3 1500000',
      '',
      'fl=app.py',
      'fn=f:9',
      '9 500000',
    ].join('\n');
    const p = await read(text);
    const labels = Array.from(p.frames.label, (l) => str(p, l));
    expect(labels).toEqual(['app.py:1(<module>)', 'app.py:3(f)', 'app.py:9(f)']);
    expect(p.unit).toBe('seconds');
    expect(p.pstats!.totalTt).toBeCloseTo(0.003, 12);
    expect(p.pstats!.ct[0]).toBeCloseTo(0.003, 12);
    expect(p.warnings).toEqual([]);
    expect(honestTreeBreaks(p)).toEqual([]);
  });

  it("reads lsprofcalltree's Ticks as milliseconds and says so", async () => {
    const p = await read('events: Ticks\nfl=a.py\nfn=main\n1 7\n');
    expect(p.pstats!.tt[0]).toBeCloseTo(0.007, 12);
    expect(p.warnings.join()).toMatch(/read as milliseconds/);
  });

  it('counts unreadable lines, and fails on what cannot be a callgrind file', async () => {
    const p = await read('events: Ir\nfn=a\n1 5\nnonsense here\n2 x\n');
    expect(p.invalidLines).toBe(2);
    expect(p.invalidLineNumbers).toEqual([4, 5]);
    await expect(read('events: Ir\n')).rejects.toThrow(/holds no functions/);
    await expect(read('# callgrind format\nfn=a\n1 5\n')).rejects.toThrow(/before the `events:` line/);
    await expect(read('events: Ir\nevents: Dr\n')).rejects.toThrow(ProfileError);
  });

  it('is told from stack text by its header', () => {
    expect(looksLikeCallgrind('version: 1\ncreator: yappi\n\nevents: Ticks\n')).toBe(true);
    expect(looksLikeCallgrind('# callgrind format\n')).toBe(true);
    expect(looksLikeCallgrind('event: ns : Nanoseconds\nevents: ns\n')).toBe(true);
    expect(looksLikeCallgrind('main;f;g 12\nevents: 3\n')).toBe(false);
    expect(looksLikeCallgrind('events;f 3\n')).toBe(false);
  });
});

describe('callgrind calls without their cost line', () => {
  it('drops a call whose cost line does not follow it, and counts the line as unreadable', async () => {
    const p = await read('events: Ir\nfn=a\n1 5\ncfn=b\ncalls=1 0\nfn=c\n1 7\ncfn=b\ncalls=2 0\n# x\nnot a line\n');
    const s = p.pstats!;
    expect(s.edgeCaller.length).toBe(0);
    expect(p.invalidLines).toBe(1);
    expect(Array.from(p.frames.label, (l) => str(p, l))).toEqual(['a', 'c']);
    expect(honestTreeBreaks(p)).toEqual([]);
  });
});
