import type { Comparison } from './compare';

/** How many profiles each side of a comparison merges: groups of a set are compared by their merges. */
export interface GroupSizes {
  base: number;
  next: number;
}

export const SINGLE: GroupSizes = { base: 1, next: 1 };

/**
 * Whether two groups are best compared by their mean per profile: a merge is the sum of its
 * group, so 997 quick requests against 3 slow ones would read as a speed-up of 99 %.
 */
export const unequalGroups = (sizes: GroupSizes): boolean => sizes.base !== sizes.next;

/** What a comparison divides its sides by: the groups' sizes when they differ, unless their sums are asked for. */
export const dividedBy = (sizes: GroupSizes, sums: boolean): GroupSizes | undefined =>
  unequalGroups(sizes) && !sums ? sizes : undefined;

/** A comparison of two merges as each group's mean per profile: every cost, call count and total divided by its group's size. */
export function perProfile(c: Comparison, sizes: GroupSizes): Comparison {
  const side = (s: Comparison['base'], n: number): Comparison['base'] => ({
    self: s.self.map((v) => v / n),
    total: s.total.map((v) => v / n),
    calls: s.calls && s.calls.map((v) => v / n),
    grandTotal: s.grandTotal / n,
  });
  return { ...c, base: side(c.base, sizes.base), next: side(c.next, sizes.next) };
}
