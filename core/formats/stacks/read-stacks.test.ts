import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '~/test/fixtures';
import { FAILED_NODE, IDLE_NODE, type Profile } from '~/core/model/profile';
import { parseStackStream, parseStackText } from './read-stacks';
import { openProfile } from '../open-profile';
import { sampledStats } from '~/core/analysis/sampled-stats';
import { foldedLines, plainDecimal, toFolded } from '~/core/export/folded';
import { stringAt } from '~/core/model/string-pack';
import { chunked } from '~/test/streams';

const FIXTURES = fixturesDir;

interface Truth {
  samples: number;
  idle: number;
  failed: number;
  invalid_lines: number;
  stacks: Record<string, number>;
  first_us?: number;
  last_us?: number;
  timeline?: number;
}

function fixtures(dir: string, ending: string): string[] {
  return readdirSync(resolve(FIXTURES, dir))
    .filter((f) => f.endsWith(ending))
    .map((f) => `${dir}/${f}`);
}

const bytesOf = (file: string): Uint8Array => new Uint8Array(readFileSync(resolve(FIXTURES, file)));
const textOf = (file: string): string => readFileSync(resolve(FIXTURES, file), 'utf8');
const truthOf = (file: string): Truth => JSON.parse(textOf(`${file}.truth.json`)) as Truth;

/** Every stack with self weight, as its root-first labels joined by `;`. */
function stacksOf(p: Profile): Record<string, number> {
  const out: Record<string, number> = {};
  const path: string[] = [];
  for (let i = 0; i < p.tree.count; i++) {
    path.length = p.tree.depth[i];
    path.push(stringAt(p.strings, p.frames.label[p.tree.frame[i]]));
    if (p.tree.self[i] > 0) out[path.join(';')] = p.tree.self[i];
  }
  return out;
}

function frameNamed(p: Profile, label: string): { file: string; name: string; line: number } {
  for (let f = 0; f < p.frames.count; f++) {
    if (stringAt(p.strings, p.frames.label[f]) === label) {
      return {
        file: stringAt(p.strings, p.frames.file[f]),
        name: stringAt(p.strings, p.frames.name[f]),
        line: p.frames.line[f],
      };
    }
  }
  throw new Error(`no frame ${label}`);
}

const withTruth = [...fixtures('pyflame', '.samp'), ...fixtures('folded', '.folded')];

describe('Pyflame and folded fixtures against their truth', () => {
  it('finds every fixture', () => {
    expect(withTruth.length).toBe(55);
  });

  for (const file of withTruth) {
    const truth = truthOf(file);
    const check = (p: Profile) => {
      expect(p.samples).toBe(truth.samples);
      expect(p.idle).toBe(truth.idle);
      expect(p.failed).toBe(truth.failed);
      expect(p.invalidLines).toBe(truth.invalid_lines);
      expect(stacksOf(p)).toEqual(truth.stacks);
      expect(p.unit).toBe('samples');
      const text = textOf(file);
      const pyflameMarks = truth.timeline !== undefined || /^\((idle|failed)\) /m.test(text);
      expect(p.format).toBe(pyflameMarks ? 'pyflame' : 'folded');
      if (truth.timeline === undefined) {
        expect(p.timeline).toBeUndefined();
        return;
      }
      const t = p.timeline!;
      expect(t.time.length).toBe(truth.timeline);
      expect(t.firstUs).toBe(truth.first_us);
      expect(t.firstUs + t.time[t.time.length - 1]).toBe(truth.last_us);
      const idleSamples = t.node.filter((n) => n === IDLE_NODE).length;
      expect(idleSamples).toBe(truth.idle);
      expect(t.node.filter((n) => n === FAILED_NODE).length).toBe(truth.failed);
      for (let i = 1; i < t.time.length; i++) expect(t.time[i]).toBeGreaterThanOrEqual(t.time[i - 1]);
      for (const n of t.node) if (n >= 0) expect(p.tree.self[n]).toBeGreaterThan(0);
    };
    it(`${file} as text`, () => check(parseStackText(textOf(file), file)));
    it(`${file} as a stream of small chunks`, async () =>
      check(await parseStackStream(chunked(bytesOf(file), 7 * 1024), file)));
  }

  it('reports the line numbers of the traced program output', () => {
    const p = parseStackText(textOf('pyflame/cpu-py36-trace-stdout-mixed.samp'), 'mixed.samp');
    expect(p.invalidLineNumbers).toEqual([1]);
  });

  it('maps each flamechart sample to the leaf of its stack', () => {
    const file = 'pyflame/cpu-py27-flamechart.samp';
    const p = parseStackText(textOf(file), file);
    const lines = textOf(file).split('\n');
    const t = p.timeline!;
    expect(t.firstUs).toBe(Number(lines[0]));
    for (let i = 0; i < t.node.length; i++) {
      const labels: string[] = [];
      for (let n = t.node[i]; n >= 0; n = p.tree.parent[n])
        labels.unshift(stringAt(p.strings, p.frames.label[p.tree.frame[n]]));
      expect(`${labels.join(';')};`).toBe(lines[2 * i + 1]);
      expect(t.firstUs + t.time[i]).toBe(Number(lines[2 * i]));
    }
  });

  it('splits frames on their last colons', () => {
    const p = parseStackText(textOf('pyflame/threads-py36-trace-threads.samp'), 'x.samp');
    expect(frameNamed(p, '<frozen importlib._bootstrap>:_find_and_load:971')).toEqual({
      file: '<frozen importlib._bootstrap>',
      name: '_find_and_load',
      line: 971,
    });
    const n = parseStackText(textOf('pyflame/cpu-py36-nolines.samp'), 'n.samp');
    expect(frameNamed(n, '/home/dev/shop/cpu.py:fib')).toEqual({
      file: '/home/dev/shop/cpu.py',
      name: 'fib',
      line: -1,
    });
  });

  it('reads the gzip copy of the large flamechart as the file itself, reporting compressed bytes', async () => {
    const file = 'pyflame/cpu-py36-flamechart-large.samp';
    const plain = parseStackText(textOf(file), file);
    const gz = bytesOf(`${file}.gz`);
    const progress: number[] = [];
    const p = await openProfile(new Blob([gz as Uint8Array<ArrayBuffer>]), `${file}.gz`, (n) => progress.push(n));
    expect(p.samples).toBe(5262);
    expect(stacksOf(p)).toEqual(stacksOf(plain));
    expect(p.timeline!.time).toEqual(plain.timeline!.time);
    expect(p.timeline!.node).toEqual(plain.timeline!.node);
    expect(progress.at(-1)).toBe(gz.length);
    expect(progress.every((n, i) => i === 0 || n >= progress[i - 1])).toBe(true);
  });
});

/** The metric austin wrote on a line: the last number, or the first of `time mem+ mem-`. */
function austinMetric(line: string): number {
  const tokens = line.split(' ');
  const n = tokens.length;
  const numeric = (t: string) => /^-?\d+$/.test(t);
  if (n >= 4 && numeric(tokens[n - 1]) && numeric(tokens[n - 2]) && numeric(tokens[n - 3]))
    return Number(tokens[n - 3]);
  return Number(tokens[n - 1]);
}

describe('austin 1.0.1 fixtures', () => {
  const files = fixtures('austin', '.txt');

  it('finds every fixture', () => {
    expect(files.length).toBe(60);
  });

  for (const file of files) {
    it(file, () => {
      const text = textOf(file);
      const lines = text.split('\n').filter((l) => l !== '');
      const p = parseStackText(text, file);
      expect(p.format).toBe('austin');
      expect(p.unit).toBe(file.includes('memory') ? 'kilobytes' : 'microseconds');
      expect(p.invalidLines).toBe(0);

      const isIdle = (l: string) => l.includes(';<idle> ');
      const busy = lines.filter((l) => !isIdle(l));
      expect(p.samples).toBe(busy.reduce((sum, l) => sum + austinMetric(l), 0));
      expect(p.idle).toBe(lines.filter(isIdle).reduce((sum, l) => sum + austinMetric(l), 0));

      const perThread = new Map<string, number>();
      for (const l of busy) {
        const thread = /Thread [0-9a-f]+/.exec(l)![0];
        perThread.set(thread, (perThread.get(thread) ?? 0) + austinMetric(l));
      }
      const threadTotals = new Map<string, number>();
      for (let i = 0; i < p.tree.count; i++) {
        const label = stringAt(p.strings, p.frames.label[p.tree.frame[i]]);
        if (label.startsWith('Thread ')) threadTotals.set(label, (threadTotals.get(label) ?? 0) + p.tree.total[i]);
      }
      expect(threadTotals).toEqual(perThread);

      const processes = new Set(lines.map((l) => /^Process \d+/.exec(l)?.[0]).filter((x) => x !== undefined));
      const roots = new Set<string>();
      for (let i = 0; i < p.tree.count; i++)
        if (p.tree.parent[i] < 0) roots.add(stringAt(p.strings, p.frames.label[p.tree.frame[i]]));
      expect(roots).toEqual(processes.size > 0 ? processes : new Set(perThread.keys()));
    });
  }

  it('writes separate `L` lines into the frame and reads the alternative form alike', () => {
    const p = parseStackText(textOf('austin/cpu-py27-austin.txt'), 'a.txt');
    expect(frameNamed(p, 'inner_loop (cpu.py:16)')).toEqual({ file: 'cpu.py', name: 'inner_loop', line: 16 });
    const alt = parseStackText(textOf('austin/cpu-py36-austin-alt.txt'), 'alt.txt');
    expect(frameNamed(alt, '_find_and_load (<frozen importlib._bootstrap>:971)')).toEqual({
      file: '<frozen importlib._bootstrap>',
      name: '_find_and_load',
      line: 971,
    });
    expect(frameNamed(alt, 'Thread 7f7e7b583b80')).toEqual({ file: '', name: 'Thread 7f7e7b583b80', line: -1 });
  });

  it('keeps a thread sample without frames on the thread itself', () => {
    const p = parseStackText(textOf('austin/cpu-py27-austin.txt'), 'a.txt');
    expect(p.tree.parent[0]).toBe(-1);
    expect(stringAt(p.strings, p.frames.label[p.tree.frame[0]])).toBe('Thread 7f05a2b48b80');
    const bare = textOf('austin/cpu-py27-austin.txt')
      .split('\n')
      .filter((l) => /^Thread 7f05a2b48b80 \d+$/.test(l));
    expect(p.tree.self[0]).toBe(bare.reduce((sum, l) => sum + austinMetric(l), 0));
  });
});

describe('dialects', () => {
  it('is not misled by program output mixed into a Pyflame file', () => {
    const file = 'pyflame/cpu-py36-trace-stdout-mixed.samp';
    const truth = truthOf(file);
    const p = parseStackText(`Thread 1 started\nall done (ok) 5\n${textOf(file)}`, file);
    expect(p.format).toBe('pyflame');
    expect(p.samples).toBe(truth.samples + 5);
    expect(p.invalidLineNumbers).toEqual([1, 3]);
  });

  const austin3 = [
    '# austin: 3.6.0',
    '# interval: 100',
    '# mode: wall',
    '',
    'P4317;T0:7ffb811a0740;/usr/lib/python3.11/runpy.py:_run_module_as_main:198;app.py:<module>:38;app.py:keep_cpu_busy:33 10969',
    'P4317;T0:7ffb7f8f0700;/usr/lib/python3.11/threading.py:_bootstrap:995;app.py:worker:12 10977',
    'P4317;T0:7ffb811a0740;/usr/lib/python3.11/runpy.py:_run_module_as_main:198;app.py:<module>:38;app.py:keep_cpu_busy:33 10936',
    'P4317;T0:7ffb811a0740 10464',
    '',
    '# duration: 43346',
  ].join('\n');

  it('reads austin 3 samples with process and thread roots', () => {
    const p = parseStackText(austin3, 'run.austin');
    expect(p.format).toBe('austin');
    expect(p.unit).toBe('microseconds');
    expect(p.samples).toBe(10969 + 10977 + 10936 + 10464);
    expect(p.invalidLines).toBe(0);
    expect(stacksOf(p)).toEqual({
      'P4317;T0:7ffb811a0740;/usr/lib/python3.11/runpy.py:_run_module_as_main:198;app.py:<module>:38;app.py:keep_cpu_busy:33':
        10969 + 10936,
      'P4317;T0:7ffb7f8f0700;/usr/lib/python3.11/threading.py:_bootstrap:995;app.py:worker:12': 10977,
      'P4317;T0:7ffb811a0740': 10464,
    });
    expect(frameNamed(p, 'T0:7ffb811a0740')).toEqual({ file: '', name: 'T0:7ffb811a0740', line: -1 });
    expect(frameNamed(p, 'app.py:keep_cpu_busy:33')).toEqual({ file: 'app.py', name: 'keep_cpu_busy', line: 33 });
  });

  it('reads austin 3 full metrics by their time, idle flag and memory mode in KiB, leaving out releases', () => {
    const full = parseStackText(
      '# mode: full\nP1;T0:5;a.py:f:1 300,0,-2048\nP1;T0:5;a.py:g:2 200,1,4096\n',
      'f.austin',
    );
    expect([full.samples, full.idle]).toEqual([300, 200]);
    expect(stacksOf(full)).toEqual({ 'P1;T0:5;a.py:f:1': 300 });
    expect(full.unit).toBe('microseconds');
    const memory = parseStackText('# mode: memory\nP1;T0:5;a.py:f:1 2048\nP1;T0:5;a.py:g:2 -4096\n', 'm.austin');
    expect(memory.unit).toBe('kilobytes');
    expect(memory.samples).toBe(2);
    expect(memory.warnings).toEqual([
      '1 samples that released memory (4 KiB in all) are left out: the tree shows allocations.',
    ]);
  });

  const pyspy = [
    'process 4321:"python app.py";thread (0x7F3B2C1E6740);<module> (app.py:40);main (app.py:33);crunch (app.py:12) 17',
    'process 4321:"python app.py";thread (0x7F3B2C1E6740);<module> (app.py:40);main (app.py:34);load (data/loader.py:88);read (/usr/lib/python3.11/json/__init__.py:293) 4',
    'process 4321:"python app.py";thread (0x7F3B2A9FF640);_bootstrap (/usr/lib/python3.11/threading.py:995);run (/usr/lib/python3.11/threading.py:975);poll (app.py:21) 9',
    'process 4321:"python app.py";thread (0x7F3B2C1E6740);<module> (app.py:40);main (app.py:33);crunch (app.py:12) 3',
  ].join('\n');

  it('reads py-spy raw output', () => {
    const p = parseStackText(pyspy, 'profile.txt');
    expect(p.format).toBe('py-spy');
    expect(p.unit).toBe('samples');
    expect(p.samples).toBe(33);
    expect(
      stacksOf(p)[
        'process 4321:"python app.py";thread (0x7F3B2C1E6740);<module> (app.py:40);main (app.py:33);crunch (app.py:12)'
      ],
    ).toBe(20);
    expect(frameNamed(p, 'read (/usr/lib/python3.11/json/__init__.py:293)')).toEqual({
      file: '/usr/lib/python3.11/json/__init__.py',
      name: 'read',
      line: 293,
    });
    expect(frameNamed(p, 'thread (0x7F3B2A9FF640)')).toEqual({ file: '', name: 'thread (0x7F3B2A9FF640)', line: -1 });
    expect(frameNamed(p, 'process 4321:"python app.py"').file).toBe('');
  });
});

/** The weight of the stacks in which some frame belongs to function `name`. */
function weightThrough(stacks: Record<string, number>, name: string): number {
  let sum = 0;
  for (const [stack, w] of Object.entries(stacks)) {
    if (stack.split(';').some((frame) => frame.split(':')[1] === name)) sum += w;
  }
  return sum;
}

describe('sampled statistics', () => {
  for (const file of fixtures('pyflame', '.samp').filter((f) => f.includes('/cpu-'))) {
    it(`counts recursion once in ${file}`, () => {
      const truth = truthOf(file);
      const p = parseStackText(textOf(file), file);
      const s = sampledStats(p);
      const rowOf = (name: string) => {
        for (let r = 0; r < s.count; r++) if (stringAt(p.strings, p.frames.name[s.frame[r]]) === name) return r;
        throw new Error(name);
      };
      const fib = rowOf('fib');
      expect(s.total[fib]).toBe(weightThrough(truth.stacks, 'fib'));
      expect(s.total[fib]).toBeLessThanOrEqual(p.samples);
      expect(s.total[rowOf('walk_tree')]).toBe(weightThrough(truth.stacks, 'walk_tree'));
      expect(s.self.reduce((a, b) => a + b, 0)).toBe(p.samples);
      for (let f = 0; f < p.frames.count; f++) {
        const r = s.rowOfFrame[f];
        expect(p.frames.name[s.frame[r]]).toBe(p.frames.name[f]);
        expect(p.frames.file[s.frame[r]]).toBe(p.frames.file[f]);
      }
    });
  }

  it('has one row per function, not per line', () => {
    const p = parseStackText(textOf('pyflame/cpu-py27-default.samp'), 'x.samp');
    const s = sampledStats(p);
    const functions = new Set<string>();
    for (let f = 0; f < p.frames.count; f++)
      functions.add(`${stringAt(p.strings, p.frames.file[f])}\0${stringAt(p.strings, p.frames.name[f])}`);
    expect(s.count).toBe(functions.size);
    expect(s.count).toBeLessThan(p.frames.count);
  });
});

describe('folded export', () => {
  const roundTrip = [...withTruth, 'austin/threads-py36-austin.txt', 'austin/multi-py37-austin-children.txt'];
  for (const file of roundTrip) {
    it(`round-trips ${file}`, () => {
      const p = parseStackText(textOf(file), file);
      const again = parseStackText(toFolded(p), file);
      expect(stacksOf(again)).toEqual(stacksOf(p));
      expect(again.samples).toBe(p.samples);
      expect(again.idle).toBe(p.idle);
      expect(again.failed).toBe(p.failed);
      expect(again.invalidLines).toBe(0);
    });
  }

  it('writes idle and failed lines after the stacks', () => {
    const p = parseStackText('(idle) 5\n(failed) 2\na:f:1;a:g:2 3\na:f:1 1\n', 'x.samp');
    expect([...foldedLines(p)]).toEqual(['a:f:1 1', 'a:f:1;a:g:2 3', '(idle) 5', '(failed) 2']);
  });

  it('writes weights without exponents', () => {
    expect(plainDecimal(123)).toBe('123');
    expect(plainDecimal(0.25)).toBe('0.25');
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(1.25e-9)).toBe('0.00000000125');
    expect(plainDecimal(2e21)).toBe('2000000000000000000000');
    expect(plainDecimal(1.5e22)).toBe('15000000000000000000000');
    const tiny = parseStackText('a:f:1 0.000000125\n', 'x.folded');
    expect(tiny.samples).toBe(1.25e-7);
    expect(parseStackText(toFolded(tiny), 'x.folded').samples).toBe(1.25e-7);
  });
});
