/**
 * The interaction bench's transforms in Node, as the transform worker applies them: the 1M-node
 * folded file opened once, then hide library code, merge and drop a function (one on the
 * heaviest path, near the top of the call tree), each with its tree by function, `--runs`
 * times; prints the CPU time of each, median and mean, with the load average. Then the same for
 * the call tree's quick tree (`quickCallTree`): made, and the rows of its first screen read (the
 * hottest path opened, each row's numbers and lines, as the view reads them), and for the flame
 * graph's first frame from it (`drawnTree` at 1280 px, the bench browser's width). Collapsing
 * the recursion of the one function that calls itself in these stacks is timed the same way. Then
 * two transforms stacked, the worker's result against the second's quick tree made on the first's;
 * the inverted call tree of a transform, from the worker's result and the page's work on it, and
 * made on the page alone (`quickInvertedTree`, its roots listed and 60 of them opened); and on the pstats input
 * (an estimated tree whose weights are not whole numbers) the worker against the quick tree.
 * `--mb N` another size of the same stacks.
 */
import { existsSync, mkdirSync, openAsBlob } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFolded } from './folded-gen';
import { STACK_KINDS, outDir } from './inputs';
import { openProfile } from '~/core/formats/open-profile';
import { functionTree } from '~/core/analysis/function-tree';
import type { Transform } from '~/core/analysis/transforms/transforms';
import { TransformHost } from '~/worker/transform-host';
import { quickCallTree, stackedCallTree, type QuickCallTree } from '~/core/analysis/quick-call-tree';
import { hottestPath } from '~/src/views/call-tree-rows';
import { drawnTree } from '~/src/flame/drawn-tree';
import { functionOf } from '~/core/analysis/function-of';
import { InvertedTree } from '~/core/analysis/inverted-tree';
import { quickInvertedTree } from '~/core/analysis/quick-inverted-tree';
import type { Profile } from '~/core/model/profile';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '110' }, runs: { type: 'string', default: '5' } },
});
const path = resolve(outDir, `folded-${values.mb}mb.txt`);
mkdirSync(outDir, { recursive: true });
if (!existsSync(path)) writeFolded(path, Number(values.mb) * 1e6, STACK_KINDS.folded);
const profile = await openProfile(await openAsBlob(path), 'folded');
const pstatsPath = resolve(outDir, 'pstats-40mb.prof');
const pstats = existsSync(pstatsPath) ? await openProfile(await openAsBlob(pstatsPath), 'pstats') : null;
const byFunction = functionTree(profile).tree;
// A function near the top of the call tree, on the heaviest path, as the browser bench picks one.
const frame = byFunction.frame[2];
console.log(`${byFunction.count} nodes by function, ${profile.tree.count} by line; load ${loadavg()[0].toFixed(2)}`);

/** The frame of the first node below a call of its own function: the function that recurses. */
function recursiveFrame(p: Profile): number {
  const fn = functionOf(p);
  const { tree } = p;
  const onPath = new Int32Array(fn.length);
  const path: number[] = [];
  for (let i = 0; i < tree.count; i++) {
    while (path.length > tree.depth[i]) onPath[fn[tree.frame[path.pop()!]]]--;
    if (onPath[fn[tree.frame[i]]]) return tree.frame[i];
    onPath[fn[tree.frame[i]]]++;
    path.push(i);
  }
  return frame;
}

const host = new TransformHost();
host.keep(0, profile);
const cases: [string, Transform][] = [
  ['hide library code', { kind: 'hide-library' }],
  ['merge a function', { kind: 'merge-function', frame }],
  ['drop a function', { kind: 'drop-function', frame }],
  ['collapse recursion', { kind: 'collapse-recursion', frame: recursiveFrame(profile) }],
];
const cpuMs = (f: () => void) => {
  const before = process.cpuUsage();
  f();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e3;
};
const report = (name: string, times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `${name}: median ${sorted[sorted.length >> 1].toFixed(0)} ms, mean ${mean.toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`,
  );
};
/** The quick tree made and a first screen of rows read: the roots, the hottest path open, each row's children listed. */
const firstScreen = (t: Transform, of = profile): number => firstScreenOf(quickCallTree(of, t)!);

function firstScreenOf(quick: QuickCallTree): number {
  const { nodes } = quick;
  let rows = 0;
  for (const v of [-1, ...hottestPath(nodes, -1)])
    for (const c of nodes.children(v)) {
      nodes.self(c);
      nodes.hasChildren(c);
      quick.lines(c);
      rows++;
    }
  return rows;
}
for (const [name, t] of cases) {
  const times: number[] = [];
  for (let r = 0; r < Number(values.runs); r++) times.push(cpuMs(() => host.apply(0, null, [t], true)));
  report(name, times);
}
for (const [name, t] of cases) {
  const times: number[] = [];
  let rows = 0;
  for (let r = 0; r < Number(values.runs); r++) times.push(cpuMs(() => (rows = firstScreen(t))));
  report(`${name}, call tree made as rows open (${rows} rows)`, times);
}
for (const [name, t] of cases) {
  const times: number[] = [];
  let nodes = 0;
  for (let r = 0; r < Number(values.runs); r++)
    times.push(cpuMs(() => (nodes = drawnTree(quickCallTree(profile, t)!.byLine, 1280).count)));
  report(`${name}, flame graph's tree from the quick tree (${nodes} nodes)`, times);
}
{
  const times: number[] = [];
  let roots = 0;
  for (let r = 0; r < Number(values.runs); r++)
    times.push(
      cpuMs(() => {
        const { byFunction: made } = host.apply(0, null, [{ kind: 'hide-library' }], true);
        const inverted = new InvertedTree(made!.tree);
        for (const v of inverted.children(-1).slice(0, 60)) inverted.children(v);
        roots = inverted.children(-1).length;
      }),
    );
  report(`hide library code, inverted: the worker's result, then the page's inverted tree (${roots} roots)`, times);
}
for (const [name, t] of cases) {
  const times: number[] = [];
  let roots = 0;
  for (let r = 0; r < Number(values.runs); r++)
    times.push(
      cpuMs(() => {
        const quick = quickInvertedTree(profile, t)!;
        const { nodes } = quick;
        for (const v of nodes.children(-1).slice(0, 60)) {
          quick.lines(v);
          nodes.children(v);
        }
        roots = nodes.children(-1).length;
      }),
    );
  report(`${name}, inverted call tree made on the page (${roots} roots, 60 opened)`, times);
}
{
  // A function three levels down the hottest path once library code is hidden (the one above is hidden there).
  const hiddenTree = quickCallTree(profile, { kind: 'hide-library' })!.nodes;
  const shownFrame = hiddenTree.frame(hottestPath(hiddenTree, -1)[2]);
  const stacked: Transform[] = [{ kind: 'hide-library' }, { kind: 'merge-function', frame: shownFrame }];
  const times: number[] = [];
  for (let r = 0; r < Number(values.runs); r++) times.push(cpuMs(() => host.apply(0, null, stacked, true)));
  report('hide library code, then merge a function: the worker applies both', times);
  const hidden = () => quickCallTree(profile, stacked[0])!;
  const quick: number[] = [];
  const drawn: number[] = [];
  let rows = 0;
  let nodes = 0;
  for (let r = 0; r < Number(values.runs); r++) {
    // Hide library code's quick tree as its first screen left it, then the merge made on it.
    const below = hidden();
    firstScreenOf(below);
    quick.push(cpuMs(() => (rows = firstScreenOf(stackedCallTree(below, stacked[1])!))));
    const shown = hidden();
    drawnTree(shown.byLine, 1280);
    drawn.push(cpuMs(() => (nodes = drawnTree(stackedCallTree(shown, stacked[1])!.byLine, 1280).count)));
  }
  report(`hide library code, then merge a function: call tree made on the first's as rows open (${rows} rows)`, quick);
  report(`hide library code, then merge a function: flame graph's tree from it (${nodes} nodes)`, drawn);
}
if (pstats) {
  host.keep(1, pstats);
  const pstatsCases: [string, Transform][] = [
    ['hide library code', { kind: 'hide-library' }],
    ['merge a function', { kind: 'merge-function', frame: pstats.tree.frame[2] }],
  ];
  console.log(`pstats-40mb.prof: ${pstats.tree.count} nodes in its estimated tree`);
  for (const [name, t] of pstatsCases) {
    const worker: number[] = [];
    const quick: number[] = [];
    let rows = 0;
    for (let r = 0; r < Number(values.runs); r++) {
      worker.push(cpuMs(() => host.apply(1, null, [t], true)));
      quick.push(cpuMs(() => (rows = firstScreen(t, pstats))));
    }
    report(`pstats, ${name}: the worker's result`, worker);
    report(`pstats, ${name}: call tree made as rows open (${rows} rows)`, quick);
  }
}
console.log(`load ${loadavg()[0].toFixed(2)}`);
