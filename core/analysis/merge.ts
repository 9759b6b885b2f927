import { CallTreeBuilder, FrameTableBuilder, GrowableArray, StringTable, floats, ints } from '../model/builders';
import {
  FrameKind,
  ProfileError,
  frameKindOf,
  type FrameTable,
  type Profile,
  type ProfileFormat,
  type PstatsEdges,
  type PstatsTable,
  type WeightUnit,
} from '../model/profile';
import { packStrings, stringAt, stringCount } from '../model/string-pack';
import { estimateCallTree } from '../formats/pstats/estimated-tree';
import type { PstatsMember } from '../formats/pstats/member-reader';
import type { FunctionSource } from '../formats/pstats/function-catalog';
import { funcStdString } from '../formats/pstats/pstats-text';
import { TASK_FILE } from '../formats/pstats/read-pstats';
import { IntKeyIndex } from './int-key-index';

/**
 * The order `pstats.Stats(*files)` adds files in: it loads the first, then `add(*rest)` walks the
 * rest backwards. Floating-point sums depend on it, so a merge that should equal pstats' bit for
 * bit adds its files in this order.
 */
export function statsAddOrder(n: number): number[] {
  return n === 0 ? [] : [0, ...Array.from({ length: n - 1 }, (_, i) => n - 1 - i)];
}

/** At most this many of the merged files' warnings are kept, each naming its file. */
const MAX_WARNINGS = 20;

/**
 * Merges profiles one at a time, holding only the merged result: pstats tables as
 * `pstats.Stats.add` adds them, stacks by summing them. Profiles of different units, or pstats
 * tables with sampled stacks, are refused with a ProfileError.
 */
export class ProfileMerger {
  private readonly strings = new StringTable();
  private readonly frames = new FrameTableBuilder(this.strings);
  /** Frame ids by (file, line, name) string ids for pstats tables, by (kind, label, 0) for stacks. */
  private readonly frameIds = new IntKeyIndex();
  private pstats: PstatsSums | null = null;
  private stacks: StackSums | null = null;
  private first: { unit: WeightUnit; format: ProfileFormat; fileName: string } | null = null;
  private mixedFormats = false;
  private readonly warnings: string[] = [];
  /** The merged id of each function of each source members were read with, -1 while not met. */
  private readonly sourceIds = new Map<FunctionSource, Int32Array>();
  count = 0;

  /** Adds a whole profile (not one whose calls are pending). */
  add(p: Profile): void {
    if (p.callsPending) throw new Error(`${p.fileName}: its calls are still pending`);
    this.admit(p.fileName, p.unit, p.format, !!p.pstats);
    const ids = this.frameIdsOf(p);
    if (p.pstats)
      (this.pstats ??= new PstatsSums()).add(p.fileName, p.pstats, ids, this.frames.count, (f) =>
        stringAt(p.strings, p.frames.label[f]),
      );
    else (this.stacks ??= new StackSums()).add(p, ids);
    for (const w of p.warnings)
      if (this.warnings.length < MAX_WARNINGS && !this.warnings.includes(`${p.fileName}: ${w}`))
        this.warnings.push(`${p.fileName}: ${w}`);
    this.count++;
  }

  /** Adds a pstats file of a set read for the merge (see `PstatsMemberReader`). */
  addMember(m: PstatsMember): void {
    this.admit(m.fileName, 'seconds', 'pstats', true);
    const { source } = m;
    const ids = this.sourceIdsOf(m);
    (this.pstats ??= new PstatsSums()).add(m.fileName, m.table, ids, this.frames.count, (f) =>
      funcStdString(source.file(m.ids[f]), source.line(m.ids[f]), source.name(m.ids[f])),
    );
    this.count++;
  }

  /** Refuses a profile that does not merge with those before it. */
  private admit(fileName: string, unit: WeightUnit, format: ProfileFormat, pstats: boolean): void {
    const first = this.first;
    if (first) {
      if (unit !== first.unit)
        throw new ProfileError(
          `“${fileName}” counts ${unit} and “${first.fileName}” ${first.unit}: profiles of different units cannot be merged`,
        );
      if (!pstats !== !this.pstats)
        throw new ProfileError(
          `“${fileName}” and “${first.fileName}” cannot be merged: one is a pstats table, the other sampled stacks`,
        );
      if (format !== first.format) this.mixedFormats = true;
    } else this.first = { unit, format, fileName };
  }

  /**
   * The merged id of each of the member's functions. A function of its source is looked up by its
   * strings the first time only: after that, its merged id is known by its id there.
   */
  private sourceIdsOf(m: PstatsMember): Int32Array {
    const source = m.source;
    let merged = this.sourceIds.get(source);
    if (!merged || merged.length < source.count) {
      const grownIds = new Int32Array(Math.max(source.count, 2 * (merged?.length ?? 0))).fill(-1);
      if (merged) grownIds.set(merged);
      this.sourceIds.set(source, (merged = grownIds));
    }
    const ids = new Int32Array(m.ids.length);
    for (let f = 0; f < ids.length; f++) {
      const s = m.ids[f];
      if (merged[s] < 0) merged[s] = this.pstatsFrame(source.file(s), source.line(s), source.name(s));
      ids[f] = merged[s];
    }
    return ids;
  }

  /** The merged id of the pstats function (file, line, name), made when new. */
  private pstatsFrame(file: string, line: number, name: string): number {
    const a = this.strings.find(file),
      c = this.strings.find(name);
    let id = a >= 0 && c >= 0 ? this.frameIds.get(a, line, c) : -1;
    if (id < 0) {
      const label = this.strings.intern(funcStdString(file, line, name)),
        fileId = this.strings.intern(file),
        nameId = this.strings.intern(name);
      id = this.frames.addInterned(
        label,
        fileId,
        line,
        nameId,
        file === TASK_FILE ? FrameKind.synthetic : FrameKind.code,
      );
      this.frameIds.add(fileId, line, nameId, id);
    }
    return id;
  }

  /** The merged id of each of `p`'s frames: frames are the same when their file, line, name and kind are. */
  private frameIdsOf(p: Profile): Int32Array {
    const { frames, strings } = p;
    const ids = new Int32Array(frames.count);
    /** The merged id of each of `p`'s strings looked up: -1 when the merge has no such string, -2 before it is looked up. */
    const mergedString = new Int32Array(stringCount(strings)).fill(-2);
    const find = (s: number): number =>
      mergedString[s] !== -2 ? mergedString[s] : (mergedString[s] = this.strings.find(stringAt(strings, s)));
    for (let f = 0; f < frames.count; f++) {
      const kind = frameKindOf(frames, f);
      // pstats names a function by (file, line, name); a sampled frame is its label. A string the
      // merge has not seen makes a new frame.
      const a = p.pstats ? find(frames.file[f]) : kind,
        b = p.pstats ? frames.line[f] : find(frames.label[f]),
        c = p.pstats ? find(frames.name[f]) : 0;
      let id = (p.pstats ? a >= 0 && c >= 0 : b >= 0) ? this.frameIds.get(a, b, c) : -1;
      if (id < 0) {
        const label = this.strings.intern(stringAt(strings, frames.label[f])),
          file = this.strings.intern(stringAt(strings, frames.file[f])),
          name = this.strings.intern(stringAt(strings, frames.name[f]));
        id = this.frames.addInterned(label, file, frames.line[f], name, kind);
        mergedString[frames.label[f]] = label;
        mergedString[frames.file[f]] = file;
        mergedString[frames.name[f]] = name;
        if (p.pstats) this.frameIds.add(file, frames.line[f], name, id);
        else this.frameIds.add(kind, label, 0, id);
      }
      ids[f] = id;
    }
    return ids;
  }

  /** The merged profile; throws when nothing was added. */
  result(fileName: string): Profile {
    const first = this.first;
    if (!first) throw new ProfileError('there is no profile to merge');
    const frames = this.frames.build();
    const base = {
      fileName,
      unit: first.unit,
      idle: 0,
      failed: 0,
      invalidLines: 0,
      invalidLineNumbers: [],
      warnings: [...this.warnings],
    };
    if (this.pstats) {
      const { table, frames: ordered } = this.pstats.build(frames);
      const { tree, warnings } = estimateCallTree(table, ordered.count);
      return {
        ...base,
        format: 'pstats',
        strings: packStrings(this.strings.strings),
        frames: ordered,
        pstats: table,
        tree,
        treeIsEstimate: true,
        samples: table.totalTt,
        warnings: [...base.warnings, ...warnings],
      };
    }
    const s = this.stacks!;
    return {
      ...base,
      format: this.mixedFormats ? 'folded' : first.format,
      strings: packStrings(this.strings.strings),
      frames,
      tree: s.tree.build().tree,
      treeIsEstimate: false,
      samples: s.samples,
      idle: s.idle,
      failed: s.failed,
      invalidLines: s.invalidLines,
    };
  }
}

/** `profiles` merged as `pstats.Stats(*profiles)` merges them (see `statsAddOrder`). */
export function mergeProfiles(profiles: Profile[], fileName = `${profiles.length} profiles merged`): Profile {
  const merger = new ProfileMerger();
  for (const i of statsAddOrder(profiles.length)) merger.add(profiles[i]);
  return merger.result(fileName);
}

/** Sampled stacks summed into one tree. */
class StackSums {
  readonly tree = new CallTreeBuilder();
  samples = 0;
  idle = 0;
  failed = 0;
  invalidLines = 0;

  add(p: Profile, frameIds: Int32Array): void {
    const t = p.tree;
    const node = new Int32Array(t.count);
    // Preorder: a parent's merged node is known before its children's.
    for (let i = 0; i < t.count; i++) {
      node[i] = this.tree.step(t.parent[i] >= 0 ? node[t.parent[i]] : -1, frameIds[t.frame[i]]);
      if (t.self[i]) this.tree.addSelf(node[i], t.self[i]);
    }
    this.samples += p.samples;
    this.idle += p.idle;
    this.failed += p.failed;
    this.invalidLines += p.invalidLines;
  }
}

/**
 * pstats tables added as `Stats.add` adds them (`add_func_stats`, `add_callers`): an entry's four
 * numbers are summed, its callers dicts merged, a caller both have summed element by element
 * (cProfile's 4-tuples) or as a count (the `profile` module's). Entries and callers keep the
 * order in which the dicts first held them.
 */
class PstatsSums {
  totalCalls = 0;
  primCalls = 0;
  totalTt = 0;
  /** By merged frame id: its place among entries plus one (0 while it is only a caller) and its numbers. */
  private entryRank = new GrowableArray(ints);
  private entries = 0;
  private cc = new GrowableArray(floats);
  private nc = new GrowableArray(floats);
  private tt = new GrowableArray(floats);
  private ct = new GrowableArray(floats);
  /** Edges in the order first seen, each by callee and caller (merged frame ids). */
  private readonly edgeOf = new IntKeyIndex();
  private edgeCallee = new GrowableArray(ints);
  private edgeCaller = new GrowableArray(ints);
  private edgeNc = new GrowableArray(floats);
  private edgeCc = new GrowableArray(floats);
  private edgeTt = new GrowableArray(floats);
  private edgeCt = new GrowableArray(floats);

  add(fileName: string, s: PstatsTable, ids: Int32Array, frameCount: number, labelOf: (f: number) => string): void {
    while (this.entryRank.length < frameCount) {
      this.entryRank.push(0);
      this.cc.push(0);
      this.nc.push(0);
      this.tt.push(0);
      this.ct.push(0);
    }
    // The counts before the edges, so that a refused file leaves the sums as they were.
    const known = this.knownEdges(fileName, s, ids, labelOf);
    this.totalCalls += s.totalCalls;
    this.primCalls += s.primCalls;
    this.totalTt += s.totalTt;
    for (let f = 0; f < s.cc.length; f++) {
      const m = ids[f];
      if (this.entryRank.get(m) === 0) this.entryRank.add(m, ++this.entries);
      this.cc.add(m, s.cc[f]);
      this.nc.add(m, s.nc[f]);
      this.tt.add(m, s.tt[f]);
      this.ct.add(m, s.ct[f]);
      for (let e = s.edgeStart[f]; e < s.edgeStart[f + 1]; e++) {
        const caller = ids[s.edgeCaller[e]];
        // A caller twice in one callers dict (only a made-up file has one) is added to itself.
        const at = known[e] >= 0 ? known[e] : this.edgeOf.get(m, caller, 0);
        if (at < 0) {
          this.edgeOf.add(m, caller, 0, this.edgeCallee.push(m));
          this.edgeCaller.push(caller);
          this.edgeNc.push(s.edgeNc[e]);
          this.edgeCc.push(s.edgeCc[e]);
          this.edgeTt.push(s.edgeTt[e]);
          this.edgeCt.push(s.edgeCt[e]);
        } else {
          this.edgeNc.add(at, s.edgeNc[e]);
          this.edgeCc.add(at, s.edgeCc[e]);
          // A count has NaN times, and stays a count.
          this.edgeTt.add(at, s.edgeTt[e]);
          this.edgeCt.add(at, s.edgeCt[e]);
        }
      }
    }
  }

  /**
   * The merged index of each of the table's edges that the merge has, -1 for the others. pstats
   * cannot add a count to a 4-tuple (it raises TypeError): neither is done here.
   */
  private knownEdges(fileName: string, s: PstatsTable, ids: Int32Array, labelOf: (f: number) => string): Int32Array {
    const known = new Int32Array(s.edgeCaller.length);
    for (let f = 0; f < s.cc.length; f++)
      for (let e = s.edgeStart[f]; e < s.edgeStart[f + 1]; e++) {
        const at = (known[e] = this.edgeOf.get(ids[f], ids[s.edgeCaller[e]], 0));
        if (at >= 0 && Number.isNaN(this.edgeTt.get(at)) !== Number.isNaN(s.edgeTt[e]))
          throw new ProfileError(
            `“${fileName}” cannot be merged with the profiles before it: the calls of ` +
              `${labelOf(f)} from ${labelOf(s.edgeCaller[e])} ` +
              `are a count in one (the profile module) and cProfile's 4 numbers in the other, which pstats cannot add either`,
          );
      }
    return known;
  }

  /** The table, entries first in the order they came, then the frames that are only callers. */
  build(frames: FrameTable): { table: PstatsTable; frames: FrameTable } {
    const n = frames.count,
      entries = this.entries;
    const newId = new Int32Array(n);
    let rest = entries;
    for (let m = 0; m < n; m++) {
      const rank = m < this.entryRank.length ? this.entryRank.get(m) : 0;
      newId[m] = rank === 0 ? rest++ : rank - 1;
    }
    const column = (g: GrowableArray<Float64Array>) => {
      const out = new Float64Array(entries);
      for (let m = 0; m < this.entryRank.length; m++) if (this.entryRank.get(m) !== 0) out[newId[m]] = g.get(m);
      return out;
    };
    return {
      table: {
        totalCalls: this.totalCalls,
        primCalls: this.primCalls,
        totalTt: this.totalTt,
        cc: column(this.cc),
        nc: column(this.nc),
        tt: column(this.tt),
        ct: column(this.ct),
        ...this.edges(newId, entries),
      },
      frames: renumberedFrames(frames, newId),
    };
  }

  /** The edges grouped by callee in the CSR layout, each callee's in the order first seen. */
  private edges(newId: Int32Array, entries: number): PstatsEdges {
    const m = this.edgeCallee.length;
    const edgeStart = new Int32Array(entries + 1);
    for (let i = 0; i < m; i++) edgeStart[newId[this.edgeCallee.get(i)] + 1]++;
    for (let i = 0; i < entries; i++) edgeStart[i + 1] += edgeStart[i];
    const fill = edgeStart.slice(0, entries);
    const out = {
      edgeStart,
      edgeCaller: new Int32Array(m),
      edgeNc: new Float64Array(m),
      edgeCc: new Float64Array(m),
      edgeTt: new Float64Array(m),
      edgeCt: new Float64Array(m),
    };
    for (let i = 0; i < m; i++) {
      const at = fill[newId[this.edgeCallee.get(i)]]++;
      out.edgeCaller[at] = newId[this.edgeCaller.get(i)];
      out.edgeNc[at] = this.edgeNc.get(i);
      out.edgeCc[at] = this.edgeCc.get(i);
      out.edgeTt[at] = this.edgeTt.get(i);
      out.edgeCt[at] = this.edgeCt.get(i);
    }
    return out;
  }
}

function renumberedFrames(frames: FrameTable, newId: Int32Array): FrameTable {
  const move = (a: Int32Array) => {
    const out = new Int32Array(a.length);
    for (let i = 0; i < a.length; i++) out[newId[i]] = a[i];
    return out;
  };
  let kind: Uint8Array | undefined;
  if (frames.kind) {
    kind = new Uint8Array(frames.count);
    for (let i = 0; i < frames.count; i++) kind[newId[i]] = frames.kind[i] ?? FrameKind.code;
  }
  return {
    count: frames.count,
    file: move(frames.file),
    line: move(frames.line),
    name: move(frames.name),
    label: move(frames.label),
    ...(kind && { kind }),
  };
}
