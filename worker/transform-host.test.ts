import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProfile } from '~/core/formats/open-profile';
import { profileBuffers, type CallTree, type Profile } from '~/core/model/profile';
import { functionTree } from '~/core/analysis/function-tree';
import { stringAt } from '~/core/model/string-pack';
import { applyTransforms, type Transform } from '~/core/analysis/transforms/transforms';
import { diffTrees } from '~/core/analysis/tree-diff';
import { fixturesDir, readBytes, readText, sameStacks, stacksOf } from '~/test/fixtures';
import { TransformHost } from './transform-host';

const tachyon = (name: string) => join(fixturesDir, 'tachyon', name);
const label = (p: Profile, f: number) => stringAt(p.strings, p.frames.label[f]);
const stacks = (p: Profile) => stacksOf(p, label);
const openBytes = (bytes: Uint8Array, name: string) => openProfile(new Blob([bytes.slice()]), name);

/** The first frame whose label starts with `text`. */
function frame(p: Profile, text: string): number {
  for (let f = 0; f < p.frames.count; f++) if (label(p, f).startsWith(text)) return f;
  throw new Error(`no frame ${text}`);
}

/** As the page and the worker exchange them: the source copied in, the result's new buffers handed back. */
function throughMessages(host: TransformHost, shown: number, baseline: number | null, list: Transform[], byFn = false) {
  const { buffers, ...result } = host.apply(shown, baseline, list, byFn);
  return structuredClone(result, { transfer: buffers });
}

/** The columns a view reads, as plain arrays, to compare two profiles whole. */
function columns(p: Profile) {
  const { tree, frames, timeline } = p;
  return {
    samples: p.samples,
    pstats: !!p.pstats,
    tree: [tree.parent, tree.frame, tree.depth, tree.size, tree.self, tree.total].map((a) => Array.from(a)),
    frames: Array.from({ length: frames.count }, (_, f) => label(p, f)),
    timeline: timeline && [Array.from(timeline.time), Array.from(timeline.node)],
  };
}

describe('transforms in the worker', () => {
  it('give what the page-side functions give, on a real recording, request after request', async () => {
    const p = await openBytes(readBytes(tachyon('web-py315-tachyon.bin')), 'web-py315-tachyon.bin');
    expect(p.timeline!.node.length).toBeGreaterThan(900);
    const host = new TransformHost();
    host.keep(1, structuredClone(p));
    const f = p.tree.frame[p.tree.count >> 1];
    const lists: Transform[][] = [
      [{ kind: 'merge-function', frame: f }],
      [{ kind: 'merge-function', frame: f }, { kind: 'hide-library' }],
      [
        { kind: 'collapse-library', library: 'stdlib' },
        { kind: 'drop-function', frame: f },
      ],
      [
        { kind: 'focus-function', frame: f },
        { kind: 'collapse-recursion', frame: f },
      ],
      [{ kind: 'focus-subtree', path: [p.tree.frame[0], p.tree.frame[1]] }],
      [{ kind: 'hide-library' }],
      [
        {
          kind: 'collapse-direct-recursion',
          frame: frame(p, '<frozen importlib._bootstrap>:_call_with_frames_removed'),
        },
      ],
      [{ kind: 'collapse-resource', path: stringAt(p.strings, p.frames.file[f]) }],
    ];
    const treeColumns = (t: CallTree) =>
      [t.parent, t.frame, t.depth, t.size, t.self, t.total].map((a) => Array.from(a));
    for (const list of lists) {
      const reference = applyTransforms(p, list);
      const fromWorker = throughMessages(host, 1, null, list).profile;
      expect(columns(fromWorker)).toEqual(columns(reference));
      expect(reference.tree.count).toBeLessThan(p.tree.count);
      // With the tree by function the call tree shows, made there too.
      const both = throughMessages(host, 1, null, list, true);
      const byFunction = functionTree(reference);
      expect(treeColumns(both.byFunction!.tree)).toEqual(treeColumns(byFunction.tree));
      expect(Array.from(both.byFunction!.nodeOf!)).toEqual(Array.from(byFunction.nodeOf!));
    }
    // The source the worker holds is left whole by the buffers handed back.
    for (const b of profileBuffers(p)) expect(b.byteLength).toBeGreaterThan(0);
    expect(columns(throughMessages(host, 1, null, []).profile)).toEqual(columns(p));
  });

  it('transform the baseline by the same functions, whatever its frame ids', async () => {
    const text = readText(tachyon('web-py315-tachyon.collapsed'));
    const shown = await openBytes(new TextEncoder().encode(text), 'web.collapsed');
    // The same stacks, lines reversed: the frames are numbered otherwise.
    const lines = text.split('\n').filter(Boolean).reverse();
    const baseline = await openBytes(new TextEncoder().encode(`${lines.join('\n')}\n`), 'reversed.collapsed');
    expect(sameStacks(stacks(shown), stacks(baseline))).toEqual([]);
    const host = new TransformHost();
    host.keep(1, shown);
    host.keep(2, baseline);
    const f = shown.tree.frame[shown.tree.count >> 1];
    const name = stringAt(shown.strings, shown.frames.name[f]);
    expect(frame(baseline, label(shown, f))).not.toBe(f);
    const lists: Transform[][] = [
      [{ kind: 'merge-function', frame: f }],
      [{ kind: 'drop-function', frame: f }],
      [
        { kind: 'focus-function', frame: f },
        { kind: 'collapse-library', library: 'stdlib' },
      ],
      [{ kind: 'focus-subtree', path: [shown.tree.frame[0], shown.tree.frame[1]] }],
    ];
    for (const list of lists) {
      const both = throughMessages(host, 1, 2, list);
      expect(sameStacks(stacks(both.profile), stacks(both.baseline!))).toEqual([]);
      expect(both.profile.samples).toBe(both.baseline!.samples);
      expect(both.profile.tree.count).toBeLessThan(shown.tree.count);
    }
    const merged = throughMessages(host, 1, 2, [{ kind: 'merge-function', frame: f }]).baseline!;
    const names = new Set(Array.from(merged.tree.frame, (g) => stringAt(merged.strings, merged.frames.name[g])));
    expect(names.has(name)).toBe(false);
  });

  it('leave no samples in a baseline focused on a function it does not have', async () => {
    const shown = await openBytes(new TextEncoder().encode('a;b 3\na;c 1\n'), 'a.folded');
    const baseline = await openBytes(new TextEncoder().encode('a;c 2\n'), 'b.folded');
    const host = new TransformHost();
    host.keep(1, shown);
    host.keep(2, baseline);
    const both = throughMessages(host, 1, 2, [{ kind: 'focus-function', frame: frame(shown, 'b') }]);
    expect(both.profile.samples).toBe(3);
    expect(both.baseline!.samples).toBe(0);
    const merged = throughMessages(host, 1, 2, [{ kind: 'merge-function', frame: frame(shown, 'b') }]);
    expect(stacks(merged.baseline!)).toEqual({ 'a;c': 2 });
  });
});

describe('a diff of two trees in the worker', () => {
  it("is the page's diff to the bit, handed back, for runs of two versions summed, per profile and as shares", async () => {
    const pstats = (name: string) => join(fixturesDir, 'pstats/out', `${name}.prof`);
    const next = await openBytes(readBytes(pstats('seeds-py312-cprofile')), 'seeds-py312-cprofile.prof');
    const base = await openBytes(readBytes(pstats('seeds-py311-cprofile')), 'seeds-py311-cprofile.prof');
    const host = new TransformHost();
    host.keep(1, structuredClone(next));
    host.keep(2, structuredClone(base));
    for (const [asShares, groups] of [
      [false, undefined],
      [false, { base: 3, next: 1 }],
      [true, undefined],
    ] as const) {
      const { diff, buffers } = host.diff(1, 2, asShares, groups);
      const handed = structuredClone(diff, { transfer: buffers });
      const page = diffTrees(base, next, asShares, undefined, groups);
      expect(handed.absolute).toBe(!asShares);
      expect(handed.maxChange).toBe(page.maxChange);
      expect(Array.from(handed.newValue)).toEqual(Array.from(page.newValue));
      expect(Array.from(handed.baseValue)).toEqual(Array.from(page.baseValue));
      expect(handed.newValue.length).toBe(next.tree.count);
      // The versions differ: some paths changed, and most are found in the baseline.
      expect(page.newValue.some((v, i) => v !== page.baseValue[i])).toBe(true);
      expect(page.baseValue.filter((v) => v > 0).length).toBeGreaterThan(next.tree.count / 2);
    }
    // The profiles it holds keep their arrays: only the diff's are handed over.
    expect(columns(throughMessages(host, 1, null, []).profile)).toEqual(columns(next));
  });
});
