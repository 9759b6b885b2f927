import { describe, expect, it } from 'vitest';
import { openProfile } from '../../formats/open-profile';
import { foldedLines } from '../../export/folded';
import type { Profile } from '../../model/profile';
import { stringAt } from '../../model/string-pack';
import { readBytes, readText, fixturesDir } from '~/test/fixtures';
import { join } from 'node:path';
import { TransformHost } from '~/worker/transform-host';
import { applyTransform, applyTransforms, dropFunction, mergeFunction, type Transform } from './transforms';
import { parseTransform, transformText } from './transform-text';

const open = (lines: string[], name = 't.folded') => openProfile(new Blob([lines.join('\n') + '\n']), name);
const stacks = (p: Profile) => [...foldedLines(p)].sort();
/** The first frame whose label is `label`. */
function frame(p: Profile, label: string): number {
  for (let f = 0; f < p.frames.count; f++) if (stringAt(p.strings, p.frames.label[f]) === label) return f;
  throw new Error(`no frame ${label}`);
}

/** Transforms as the page-side functions apply them, and as the worker's host does (the result handed back as a message). */
function inWorker(p: Profile, list: Transform[]): Profile {
  const host = new TransformHost();
  host.keep(0, structuredClone(p));
  const { buffers, profile } = host.apply(0, null, list);
  return structuredClone(profile, { transfer: buffers });
}
const ways = [
  { where: 'in the page', run: applyTransform, runAll: applyTransforms },
  { where: 'in the worker', run: (p: Profile, t: Transform) => inWorker(p, [t]), runAll: inWorker },
];

describe.each(ways)('each transform on a small tree, $where', ({ run, runAll }) => {
  const lines = ['a;b;c 3', 'a;b 2', 'a;d;b;c 5', 'a;d 1', 'e;b 4'];

  it('focuses on a subtree: only the samples through that place, rooted there', async () => {
    const p = await open(lines);
    const t = run(p, { kind: 'focus-subtree', path: [frame(p, 'a'), frame(p, 'b')] });
    expect(stacks(t)).toEqual(['b 2', 'b;c 3']);
    expect(t.samples).toBe(5);
  });

  it('focuses on a function, merged over every place it is called from', async () => {
    const p = await open(lines);
    expect(stacks(run(p, { kind: 'focus-function', frame: frame(p, 'b') }))).toEqual(['b 6', 'b;c 8']);
  });

  it('merges a function into its callers', async () => {
    const p = await open(lines);
    const t = run(p, { kind: 'merge-function', frame: frame(p, 'b') });
    expect(stacks(t)).toEqual(['a 2', 'a;c 3', 'a;d 1', 'a;d;c 5', 'e 4']);
    expect(t.samples).toBe(15);
  });

  it('drops the samples that pass through a function', async () => {
    const p = await open(lines);
    const t = run(p, { kind: 'drop-function', frame: frame(p, 'd') });
    expect(stacks(t)).toEqual(['a;b 2', 'a;b;c 3', 'e;b 4']);
    expect(t.samples).toBe(9);
  });

  it('collapses direct recursion, not recursion through another function', async () => {
    const p = await open(['m;f;f;f;g 2', 'm;f;f 1', 'm;f;h;f;g 4']);
    expect(stacks(run(p, { kind: 'collapse-direct-recursion', frame: frame(p, 'f') }))).toEqual([
      'm;f 1',
      'm;f;g 2',
      'm;f;h;f;g 4',
    ]);
  });

  it('collapses any recursion, leaving out what lay between', async () => {
    const p = await open(['m;f;f;f;g 2', 'm;f;f 1', 'm;f;h;f;g 4', 'm;f;h 3']);
    expect(stacks(run(p, { kind: 'collapse-recursion', frame: frame(p, 'f') }))).toEqual([
      'm;f 1',
      'm;f;g 6',
      'm;f;h 3',
    ]);
  });

  const files = [
    '/app/main.py:main:1;/usr/lib/python3.12/json/__init__.py:loads:2;/usr/lib/python3.12/json/decoder.py:decode:3 5',
    '/app/main.py:main:1;/usr/lib/python3.12/json/__init__.py:loads:2;/app/hook.py:hook:9;/usr/lib/python3.12/json/decoder.py:decode:3 2',
    '/app/main.py:main:1;/venv/lib/python3.12/site-packages/req/api.py:get:4;/venv/lib/python3.12/site-packages/req/s.py:send:5;/usr/lib/python3.12/socket.py:recv:6 7',
    '/app/main.py:main:1;<frozen importlib._bootstrap>:_find_and_load:1;<frozen importlib._bootstrap>:_load:2;/app/mod.py:<module>:1 3',
  ];

  it('collapses a package (a directory) into one frame per run', async () => {
    const p = await open(files);
    expect(stacks(run(p, { kind: 'collapse-resource', path: '/usr/lib/python3.12/json' }))).toEqual([
      '/app/main.py:main:1;/usr/lib/python3.12/json 5',
      '/app/main.py:main:1;/usr/lib/python3.12/json;/app/hook.py:hook:9;/usr/lib/python3.12/json 2',
      '/app/main.py:main:1;/venv/lib/python3.12/site-packages/req/api.py:get:4;/venv/lib/python3.12/site-packages/req/s.py:send:5;/usr/lib/python3.12/socket.py:recv:6 7',
      '/app/main.py:main:1;<frozen importlib._bootstrap>:_find_and_load:1;<frozen importlib._bootstrap>:_load:2;/app/mod.py:<module>:1 3',
    ]);
  });

  it('collapses a kind of library: site-packages, import machinery', async () => {
    const p = await open(files);
    const site = stacks(run(p, { kind: 'collapse-library', library: 'site-packages' }));
    expect(site).toContain('/app/main.py:main:1;[site-packages];/usr/lib/python3.12/socket.py:recv:6 7');
    const imports = stacks(run(p, { kind: 'collapse-library', library: 'import' }));
    expect(imports).toContain('/app/main.py:main:1;[import machinery];/app/mod.py:<module>:1 3');
    expect(imports).toHaveLength(4);
  });

  it('hides library code: each run of it shown as the frame the user code called', async () => {
    const p = await open(files);
    expect(stacks(run(p, { kind: 'hide-library' }))).toEqual([
      '/app/main.py:main:1;/usr/lib/python3.12/json/__init__.py:loads:2 5',
      '/app/main.py:main:1;/usr/lib/python3.12/json/__init__.py:loads:2;/app/hook.py:hook:9;/usr/lib/python3.12/json/decoder.py:decode:3 2',
      '/app/main.py:main:1;/venv/lib/python3.12/site-packages/req/api.py:get:4 7',
      '/app/main.py:main:1;<frozen importlib._bootstrap>:_find_and_load:1;/app/mod.py:<module>:1 3',
    ]);
  });

  it('acts on every line of a sampled function', async () => {
    const p = await open(['m.py:main:1;m.py:f:2;m.py:g:5 1', 'm.py:main:1;m.py:f:3;m.py:g:5 2']);
    expect(stacks(run(p, { kind: 'merge-function', frame: frame(p, 'm.py:f:3') }))).toEqual(['m.py:main:1;m.py:g:5 3']);
  });

  it('stacks, each applied to what the one before left', async () => {
    const p = await open(lines);
    const list: Transform[] = [
      { kind: 'drop-function', frame: frame(p, 'e') },
      { kind: 'merge-function', frame: frame(p, 'd') },
      { kind: 'focus-function', frame: frame(p, 'b') },
    ];
    expect(stacks(runAll(p, list))).toEqual(['b 2', 'b;c 8']);
    expect(stacks(runAll(p, []))).toEqual(stacks(p));
    expect(applyTransforms(p, [])).toBe(p);
  });

  it('keeps the timeline on the nodes that are left', async () => {
    const path = join(fixturesDir, 'pyflame/cpu-py36-flamechart.samp');
    const p = await openProfile(new Blob([readText(path)]), 'cpu-py36-flamechart.samp');
    const leaf = p.tree.frame[p.timeline!.node.find((n) => n >= 0)!];
    const t = run(p, { kind: 'drop-function', frame: leaf });
    const nodes = t.timeline!.node;
    // Each sample weighs one: the timeline holds exactly the samples the tree kept, each on a node holding self time.
    expect(nodes.filter((n) => n >= 0).length).toBe(t.samples);
    expect(t.samples).toBeLessThan(p.samples);
    for (const n of nodes) if (n >= 0) expect(t.tree.self[n]).toBeGreaterThan(0);
    for (const n of nodes) if (n >= 0) expect(t.tree.frame[n]).not.toBe(leaf);
  });
});

describe('the timeline of a transformed profile', () => {
  it("keeps each sample's state with the sample", async () => {
    const path = join(fixturesDir, 'tachyon/web-py315-tachyon.bin');
    const p = await openProfile(new Blob([readBytes(path).slice()]), 'web-py315-tachyon.bin');
    const t = p.timeline!;
    const leaf = p.tree.frame[t.node.find((n) => n >= 0)!];
    const dropped = dropFunction(p, leaf).timeline!;
    expect(dropped.node.length).toBeLessThan(t.node.length);
    expect(dropped.status!.length).toBe(dropped.node.length);
    // The samples kept are those of the source in order, each with its own time and state.
    let k = 0;
    for (let s = 0; s < t.node.length && k < dropped.node.length; s++)
      if (t.time[s] === dropped.time[k] && t.status![s] === dropped.status![k]) k++;
    expect(k).toBe(dropped.node.length);
  });
});

describe('transforms in the address', () => {
  it('write and read back', () => {
    const list: Transform[] = [
      { kind: 'focus-subtree', path: [0, 4, 9] },
      { kind: 'focus-function', frame: 3 },
      { kind: 'merge-function', frame: 12 },
      { kind: 'drop-function', frame: 1 },
      { kind: 'collapse-direct-recursion', frame: 2 },
      { kind: 'collapse-recursion', frame: 2 },
      { kind: 'collapse-resource', path: '<frozen importlib._bootstrap>' },
      { kind: 'collapse-library', library: 'site-packages' },
      { kind: 'hide-library' },
    ];
    for (const t of list) expect(parseTransform(transformText(t))).toEqual(t);
  });

  it('refuse what they cannot read', () => {
    for (const s of [
      '',
      'merge',
      'merge:',
      'merge:-1',
      'merge:1.5',
      'focus:1,,2',
      'collapse-lib:toString',
      'nope:1',
      'hide-lib:1',
    ])
      expect(parseTransform(s)).toBeNull();
  });
});

describe('a transform equals re-reading the stacks rewritten the same way', () => {
  it('merging and dropping a function of a real sampled profile', async () => {
    const path = join(fixturesDir, 'folded/sampler-py311.folded');
    const text = readText(path);
    const p = await openProfile(new Blob([text]), 'sampler-py311.folded');
    const target = frame(p, '/opt/python/3.11.7/lib/python3.11/threading.py:wait:327');
    const fnName = ';/opt/python/3.11.7/lib/python3.11/threading.py:wait:';
    const rows = text.split('\n').filter(Boolean);
    const rewritten = (rewrite: (frames: string[]) => string[] | null) =>
      rows
        .map((row) => {
          const cut = row.lastIndexOf(' ');
          const frames = rewrite(row.slice(0, cut).split(';'));
          return frames && frames.length ? `${frames.join(';')}${row.slice(cut)}` : null;
        })
        .filter((r) => r !== null);
    const isTarget = (f: string) => `;${f}`.startsWith(fnName);
    expect(rows.some((r) => r.includes(fnName))).toBe(true);

    const merged = await open(
      rewritten((frames) => frames.filter((f) => !isTarget(f))),
      'merged.folded',
    );
    expect(stacks(mergeFunction(p, target))).toEqual(stacks(merged));

    const dropped = await open(
      rewritten((frames) => (frames.some(isTarget) ? null : frames)),
      'dropped.folded',
    );
    const droppedHere = dropFunction(p, target);
    expect(stacks(droppedHere)).toEqual(stacks(dropped));
    expect(droppedHere.samples).toBe(dropped.samples);
    expect(droppedHere.samples).toBeLessThan(p.samples);
    // The callers left with nothing are gone, as the stacks read again have none.
    expect(droppedHere.tree.count).toBe(dropped.tree.count);
    expect(droppedHere.tree.total.every((t) => t > 0)).toBe(true);
  });
});

describe('a node with many children', () => {
  it('finds each child again once it has too many to walk, at the root level and below', async () => {
    const rows: string[] = [];
    for (let k = 0; k < 40; k++) rows.push(`a;x${k};b${k % 3} 1`, `a;y;x${k} 2`, `r${k};y;z 3`, `r${k} 1`);
    const p = await open(rows);
    const merged = await open(rows.map((r) => r.replace(';y', '').replace(/^y;/, '')));
    const t = mergeFunction(p, frame(p, 'y'));
    expect(stacks(t)).toEqual(stacks(merged));
    expect(t.tree.count).toBe(merged.tree.count);
  });
});
