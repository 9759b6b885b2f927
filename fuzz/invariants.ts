import {
  FAILED_NODE,
  IDLE_NODE,
  PROFILE_FORMATS,
  WEIGHT_UNITS,
  type CallTree,
  type Profile,
} from '~/core/model/profile';
import { packedTableFault, stringCount, type PackedStrings } from '~/core/model/string-pack';

const FORMATS = new Set<string>(PROFILE_FORMATS);
/** Formats whose functions' numbers are held in a pstats-shaped table. */
const CALL_GRAPHS = new Set(['pstats', 'callgrind', 'tachyon-jsonl']);
const UNITS = new Set<string>(WEIGHT_UNITS);
const MAX_INVALID_LINE_NUMBERS = 10;

const isWeight = (x: number) => Number.isFinite(x) && x >= 0;

/** Sums agree when they differ by no more than float rounding over many terms. */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);

/**
 * What the views rely on and a parser must guarantee for any input it accepts: consistent lengths,
 * indices that point inside their tables, a well-formed preorder tree and weights the graphs can
 * lay out. Returns the broken rules; an empty list means the profile is sound.
 */
export function profileViolations(p: Profile): string[] {
  const out: string[] = [];
  const fail = (rule: string) => {
    if (out.length < 20) out.push(rule);
  };
  if (!FORMATS.has(p.format)) fail(`unknown format ${p.format}`);
  if (!UNITS.has(p.unit)) fail(`unknown unit ${p.unit}`);
  packedViolations(p.strings).forEach(fail);
  if (!p.warnings.every((s) => typeof s === 'string' && s.length > 0)) fail('a warning is not a message');

  const f = p.frames;
  for (const key of ['file', 'line', 'name', 'label'] as const) {
    if (f[key].length !== f.count) fail(`frames.${key} has ${f[key].length} items for ${f.count} frames`);
  }
  for (const key of ['file', 'name', 'label'] as const) {
    if (!f[key].every((s) => s >= 0 && s < stringCount(p.strings)))
      fail(`frames.${key} points outside the string table`);
  }

  treeViolations(p.tree, f.count, !p.treeIsEstimate).forEach(fail);

  for (const key of ['samples', 'idle', 'failed'] as const) {
    if (p.format !== 'pstats' && !isWeight(p[key])) fail(`${key} is ${p[key]}`);
  }
  if (p.format !== 'pstats') {
    let self = 0;
    for (const w of p.tree.self) self += w;
    if (!close(self, p.samples)) fail(`the tree holds ${self} but samples is ${p.samples}`);
  }
  if (!Number.isInteger(p.invalidLines) || p.invalidLines < 0) fail(`invalidLines is ${p.invalidLines}`);
  const numbers = p.invalidLineNumbers;
  if (numbers.length > Math.min(p.invalidLines, MAX_INVALID_LINE_NUMBERS))
    fail('more invalid line numbers than invalid lines');
  if (!numbers.every((n, i) => Number.isInteger(n) && n >= 1 && (i === 0 || n > numbers[i - 1]))) {
    fail('invalid line numbers are not increasing line numbers');
  }

  if (CALL_GRAPHS.has(p.format)) pstatsViolations(p).forEach(fail);
  else if (p.pstats) fail('a sampled profile holds pstats data');

  if (p.timeline) {
    const t = p.timeline;
    if (t.time.length !== t.node.length) fail('timeline time and node lengths differ');
    if (!t.time.every(Number.isFinite)) fail('a timeline time is not finite');
    if (!Number.isFinite(t.firstUs)) fail('the first timestamp is not finite');
    const leaf = (n: number) => n === IDLE_NODE || n === FAILED_NODE || (n >= 0 && n < p.tree.count);
    if (!t.node.every(leaf)) fail('a timeline sample points outside the tree');
  }

  if (p.baseline) {
    if (p.baseline.baseline) fail('the baseline has a baseline of its own');
    if (p.baseline.unit !== p.unit) fail(`the baseline counts ${p.baseline.unit}, the profile ${p.unit}`);
    profileViolations(p.baseline).forEach((v) => fail(`baseline: ${v}`));
  }
  return out;
}

/** Each entry of the string table inside one of its chunks. */
function packedViolations(s: PackedStrings): string[] {
  if (!s.chunks.every((c) => typeof c === 'string')) return ['a string table chunk is not a string'];
  const fault = packedTableFault(s);
  return fault ? [fault] : [];
}

function treeViolations(t: CallTree, frameCount: number, exact: boolean): string[] {
  const out: string[] = [];
  const n = t.count;
  for (const key of ['parent', 'frame', 'depth', 'size', 'self', 'total'] as const) {
    if (t[key].length !== n) out.push(`tree.${key} has ${t[key].length} items for ${n} nodes`);
  }
  if (out.length) return out;
  const childTotal = new Float64Array(n);
  const childSize = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = t.parent[i];
    if (p < -1 || p >= i) return [`node ${i} has parent ${p}: not before it in preorder`];
    if (p >= 0 && i >= p + t.size[p]) return [`node ${i} lies outside the subtree of its parent ${p}`];
    if (t.depth[i] !== (p < 0 ? 0 : t.depth[p] + 1)) return [`node ${i} has depth ${t.depth[i]}`];
    if (t.size[i] < 1 || i + t.size[i] > n) return [`node ${i} has size ${t.size[i]}`];
    if (t.frame[i] < 0 || t.frame[i] >= frameCount) return [`node ${i} has frame ${t.frame[i]} of ${frameCount}`];
    if (!isWeight(t.self[i]) || !isWeight(t.total[i]))
      return [`node ${i} weighs self ${t.self[i]}, total ${t.total[i]}`];
    if (p >= 0) {
      childTotal[p] += t.total[i];
      childSize[p] += t.size[i];
    }
  }
  for (let i = 0; i < n; i++) {
    if (t.size[i] !== 1 + childSize[i]) return [`node ${i} has size ${t.size[i]}, its children ${childSize[i]}`];
    const within = exact
      ? close(t.total[i], t.self[i] + childTotal[i])
      : t.self[i] + childTotal[i] <= t.total[i] * (1 + 1e-9);
    if (!within) return [`node ${i} totals ${t.total[i]} with self ${t.self[i]} and children ${childTotal[i]}`];
  }
  return out;
}

function pstatsViolations(p: Profile): string[] {
  const s = p.pstats;
  if (!s) return ['a pstats profile without its table'];
  const out: string[] = [];
  const entries = s.cc.length;
  if (entries === 0 || entries > p.frames.count) out.push(`${entries} entries for ${p.frames.count} frames`);
  for (const key of ['nc', 'tt', 'ct'] as const)
    if (s[key].length !== entries) out.push(`pstats.${key} has ${s[key].length} items`);
  const edges = s.edgeCaller.length;
  if (s.edgeStart.length !== entries + 1 || s.edgeStart[0] !== 0 || s.edgeStart[entries] !== edges) {
    out.push('edgeStart does not span the edges');
  }
  for (let i = 0; i < entries; i++) if (s.edgeStart[i] > s.edgeStart[i + 1]) out.push(`edgeStart decreases at ${i}`);
  for (const key of ['edgeNc', 'edgeCc', 'edgeTt', 'edgeCt'] as const) {
    if (s[key].length !== edges) out.push(`pstats.${key} has ${s[key].length} items for ${edges} edges`);
  }
  if (!s.edgeCaller.every((c) => c >= 0 && c < p.frames.count)) out.push('a caller points outside the frame table');
  // The table holds the file's numbers as they are; its sums are pstats' plain sums in entry order.
  let tt = 0;
  for (const x of s.tt) tt += x;
  if (!Object.is(tt, s.totalTt)) out.push(`totalTt ${s.totalTt} is not the sum ${tt}`);
  if (p.format === 'pstats' && !Object.is(p.samples, s.totalTt)) out.push(`samples is not totalTt ${s.totalTt}`);
  return out;
}
