import type { Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import type { Transform } from '~/core/analysis/transforms/transforms';

/** Transforms of each kind the quick tree makes, on functions at a few depths of the heaviest path and the most frequent one. */
export function transformsFor(p: Profile): Transform[] {
  const { tree } = p;
  const picked = new Set<number>();
  for (let i = 0, d = 0; i < tree.count && d < 4; i++, d++) picked.add(tree.frame[i]);
  const seen = new Map<number, number>();
  for (let i = 0; i < tree.count; i++) seen.set(tree.frame[i], (seen.get(tree.frame[i]) ?? 0) + 1);
  picked.add([...seen].sort((a, b) => b[1] - a[1])[0][0]);
  // The directory of the file of the heaviest path's deepest frame that names one.
  let dir = '';
  for (let i = 0; i < tree.count && tree.size[i] > 1; i++) {
    const file = stringAt(p.strings, p.frames.file[tree.frame[i]]);
    if (file.includes('/')) dir = file.slice(0, file.lastIndexOf('/'));
  }
  const out: Transform[] = [
    { kind: 'hide-library' },
    { kind: 'collapse-library', library: 'stdlib' },
    { kind: 'collapse-library', library: 'import' },
    { kind: 'collapse-library', library: 'site-packages' },
  ];
  if (dir) out.push({ kind: 'collapse-resource', path: dir });
  for (const frame of picked)
    out.push(
      { kind: 'merge-function', frame },
      { kind: 'drop-function', frame },
      { kind: 'collapse-direct-recursion', frame },
      { kind: 'collapse-recursion', frame },
      { kind: 'focus-function', frame },
    );
  // Places on the heaviest path, and one a level below where the second child of the root's first child is.
  const path: number[] = [];
  for (let i = 0; i < tree.count && path.length < 4; i++) {
    path.push(tree.frame[i]);
    out.push({ kind: 'focus-subtree', path: [...path] });
  }
  const second = tree.size[0] > 1 ? 1 + tree.size[1] : -1;
  if (second > 0 && second < tree.size[0] && tree.parent[second] === 0)
    out.push({ kind: 'focus-subtree', path: [tree.frame[0], tree.frame[second]] });
  return out;
}

/** Sampled fixtures of py-spy, austin and Tachyon: whole-number weights, deep and wide trees. */
export const sampled = [
  'pyspy/web-py311-pyspy-gil.raw',
  'pyspy/spawn-py311-pyspy-subprocesses.raw',
  'austin/threads-py37-austin-full.txt',
  'austin/multi-py37-austin-children.txt',
  'tachyon/recursive-py315-tachyon.collapsed',
  'tachyon/imports-py315-tachyon.bin',
  'tachyon/web-py315-tachyon.bin',
];

/** Fixtures whose weights are not whole numbers: pstats' estimated trees (cProfile, pyinstrument) and speedscope durations. */
export const fractional = [
  'pstats/out/merged-py311-cprofile.prof',
  'pyinstrument/web-py314-pyinstrument-pstats.prof',
  'pyinstrument/recursive-py314-pyinstrument.speedscope.json',
  'pyspy/web-py311-pyspy-idle.speedscope.json',
];

/** The first and the last transform of each kind in `list`: stacked on every one, they keep the pairs to a few hundred. */
export function firstAndLastOfKinds(list: Transform[]): Transform[] {
  return list.filter((t) => t === list.find((u) => u.kind === t.kind) || t === list.findLast((u) => u.kind === t.kind));
}
