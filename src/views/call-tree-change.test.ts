import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { functionTree } from '~/core/analysis/function-tree';
import { diffTrees } from '~/core/analysis/tree-diff';
import type { CallTree } from '~/core/model/profile';
import { fixtureFiles, readBytes, readText } from '~/test/fixtures';
import { changeByNode } from './call-tree-change';

const austin = (name: string) => {
  const path = fixtureFiles('austin', '.txt').find((f) => basename(f) === name)!;
  return parseStackText(readText(path), name);
};
const pstats = (name: string) => {
  const path = fixtureFiles('pstats/out', '.prof').find((f) => basename(f) === `${name}.prof`)!;
  return parsePstats(readBytes(path), basename(path));
};
const rootsTotal = (t: CallTree) => {
  let sum = 0;
  for (let i = 0; i < t.count; i += t.size[i]) sum += t.total[i];
  return sum;
};

describe("the call tree's baseline and change per row", () => {
  it('a tree of lines put by function: the same run against itself has each row before as after, its own total', () => {
    const base = austin('cpu-py37-austin.txt'),
      next = austin('cpu-py37-austin.txt');
    const { tree, nodeOf } = functionTree(next);
    expect(nodeOf).not.toBeNull();
    expect(tree.count).toBeLessThan(next.tree.count);
    const change = changeByNode(diffTrees(base, next), nodeOf, tree.count);
    expect(change.absolute).toBe(true);
    for (let i = 0; i < tree.count; i++) {
      expect(change.after[i]).toBeCloseTo(tree.total[i] / 1e6, 9);
      expect(change.before[i]).toBeCloseTo(tree.total[i] / 1e6, 9);
    }
  });

  it('Python 3.11 against 3.12: the roots hold both totals, and no row weighs more before than its parent', () => {
    const base = pstats('seeds-py311-cprofile'),
      next = pstats('seeds-py312-cprofile');
    const { tree, nodeOf } = functionTree(next);
    const change = changeByNode(diffTrees(base, next), nodeOf, tree.count);
    let before = 0,
      after = 0,
      changed = 0;
    for (let i = 0; i < tree.count; i += tree.size[i]) {
      before += change.before[i];
      after += change.after[i];
    }
    expect(after).toBeCloseTo(rootsTotal(next.tree), 12);
    expect(before).toBeCloseTo(rootsTotal(base.tree), 12);
    for (let i = 0; i < tree.count; i++) {
      expect(change.after[i]).toBe(tree.total[i]);
      if (tree.parent[i] >= 0) expect(change.before[i]).toBeLessThanOrEqual(change.before[tree.parent[i]] + 1e-12);
      if (Math.abs(change.after[i] - change.before[i]) > 1e-9) changed++;
    }
    expect(changed).toBeGreaterThan(5);
  });

  it('marks the paths the baseline never reached as new: none against itself, and every path below a new one', () => {
    const same = pstats('seeds-py312-cprofile');
    const own = functionTree(same);
    const itself = changeByNode(diffTrees(pstats('seeds-py312-cprofile'), same), own.nodeOf, own.tree.count);
    expect(itself.inBase.every((v) => v === 1)).toBe(true);

    const base = austin('cpu-py27-austin.txt'),
      next = austin('cpu-py37-austin.txt');
    const { tree, nodeOf } = functionTree(next);
    const change = changeByNode(diffTrees(base, next), nodeOf, tree.count);
    let fresh = 0;
    for (let i = 0; i < tree.count; i++) {
      if (change.inBase[i]) continue;
      fresh++;
      expect(change.before[i]).toBe(0);
      for (let c = i + 1; c < i + tree.size[i]; c++) expect(change.inBase[c]).toBe(0);
    }
    expect(fresh).toBeGreaterThan(0);
    expect(fresh).toBeLessThan(tree.count);
  });
});
