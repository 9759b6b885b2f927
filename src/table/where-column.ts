import { frameKindOf, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { codeKind, legendColor, type CodeKind } from '../flame/colors';
import type { TableColumn } from './table-types';

/** A chip's word, its order when sorted (the user's own code first, made-up frames last) and its meaning. */
export const WHERE: Record<CodeKind, { text: string; rank: number; meaning: string }> = {
  user: { text: 'yours', rank: 0, meaning: 'Your code: not the standard library nor an installed package' },
  thirdparty: { text: 'site-pkg', rank: 1, meaning: 'An installed package (site-packages)' },
  stdlib: { text: 'stdlib', rank: 2, meaning: 'The Python standard library' },
  builtin: { text: 'built-in', rank: 3, meaning: 'Built into the interpreter or a C extension: no Python source' },
  synthetic: { text: 'made up', rank: 4, meaning: 'Made up by the profiler (<GC>, <native>, tasks)' },
  other: { text: 'other', rank: 5, meaning: 'Not code in a file: a thread, a process, or code run from a string' },
};

/** Where each row's code lives, as a chip in the graphs' legend colour; `frameOf` maps a row to its frame. */
export function whereColumn(p: Profile, frameOf: (row: number) => number): TableColumn {
  const kinds = new Map<number, CodeKind>();
  const kindOf = (row: number): CodeKind => {
    const f = frameOf(row);
    let k = kinds.get(f);
    if (k === undefined) {
      k = codeKind(
        stringAt(p.strings, p.frames.file[f]),
        stringAt(p.strings, p.frames.label[f]),
        frameKindOf(p.frames, f),
      );
      kinds.set(f, k);
    }
    return k;
  };
  return {
    id: 'where',
    title: 'where',
    numeric: false,
    width: '4.5rem',
    help: 'Where the code lives: yours, an installed package, the standard library, built-in or made up by the profiler; sort by it to set library code apart',
    cell: (r) => WHERE[kindOf(r)].text,
    note: (r) => WHERE[kindOf(r)].meaning,
    chip: (r) => legendColor(kindOf(r)),
    sortValue: (r) => WHERE[kindOf(r)].rank,
    value: (r) => WHERE[kindOf(r)].text,
  };
}
