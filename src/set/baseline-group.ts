/** Words in a folder's name that say it holds the runs before a change, or after it. */
const BEFORE = /^(before|old|older|baseline|base|main|master|orig|original|prev|previous|ref|reference|slow)$/;
const AFTER = /^(after|new|newer|fix|fixed|patch|patched|change|changed|candidate|pr|branch|fast)$/;

/** The words of a group's last folder name: `runs/Before-fix` → `before`, `fix`. */
const words = (group: string) =>
  group
    .slice(group.lastIndexOf('/') + 1)
    .toLowerCase()
    .split(/[^a-z0-9]+/);
const says = (group: string, word: RegExp) => words(group).some((w) => word.test(w));

/**
 * Of two or more groups, the one to compare against (the baseline) and the new one: as their names say
 * (`before`/`old`/`main` against `after`/`new`/`fix`), else the one whose files are older first.
 * `age` is a group's typical file time (ms), or null when its files have none.
 */
export function baselineAndNew<G extends { name: string }>(groups: G[], age: (g: G) => number | null): [G, G] {
  const before = groups.filter((g) => says(g.name, BEFORE) && !says(g.name, AFTER));
  const after = groups.filter((g) => says(g.name, AFTER) && !says(g.name, BEFORE));
  if (before.length === 1 && after.length === 1) return [before[0], after[0]];
  if (before.length === 1) return [before[0], groups.find((g) => g !== before[0])!];
  if (after.length === 1) return [groups.find((g) => g !== after[0])!, after[0]];
  const [a, b] = groups;
  const ageA = age(a);
  const ageB = age(b);
  return ageA !== null && ageB !== null && ageB < ageA ? [b, a] : [a, b];
}

/** The middle modification time of a group's files, or null when they are not files (kept blobs have none). */
export function middleTime(blobs: Blob[]): number | null {
  const times = blobs.flatMap((b) => (b instanceof File && b.lastModified > 0 ? [b.lastModified] : []));
  if (!times.length) return null;
  times.sort((x, y) => x - y);
  return times[times.length >> 1];
}
