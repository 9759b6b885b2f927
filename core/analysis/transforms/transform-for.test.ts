import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfile } from '../../formats/open-profile';
import type { Profile } from '../../model/profile';
import { stringAt } from '../../model/string-pack';
import { diffTrees } from '../tree-diff';
import { applyTransform, withoutSamples } from './transforms';
import { transformFor } from './transform-for';

const samplesDir = join(__dirname, '../../../public/samples');
const open = (name: string): Promise<Profile> => openProfile(new Blob([readFileSync(join(samplesDir, name))]), name);
const nameOf = (p: Profile, f: number) => stringAt(p.strings, p.frames.name[f]);

/** The path of frames from the root to the first node of the function named `name`. */
function pathTo(p: Profile, name: string): number[] {
  const { tree } = p;
  for (let i = 0; i < tree.count; i++) {
    if (nameOf(p, tree.frame[i]) !== name) continue;
    const path: number[] = [];
    for (let v = i; v >= 0; v = tree.parent[v]) path.push(tree.frame[v]);
    return path.reverse();
  }
  throw new Error(`no ${name}`);
}

describe("a transform of the profile shown, applied to a comparison's baseline", () => {
  it("focuses on the baseline's same functions though their def lines moved, as the comparison pairs them", async () => {
    const [base, next] = await Promise.all([open('shop-checkout.prof'), open('shop-checkout-fixed.prof')]);
    const path = pathTo(next, 'checkout');
    const lines = path.map((f) => next.frames.line[f]);
    const same = transformFor({ kind: 'focus-subtree', path }, next, base);
    if (typeof same === 'string') throw new Error(`no path in the baseline: ${same}`);
    if (same.kind !== 'focus-subtree') throw new Error(same.kind);
    expect(same.path.map((f) => nameOf(base, f))).toEqual(['main', 'checkout']);
    // The fix moved the functions: the pairing is by more than the line.
    expect(same.path.map((f) => base.frames.line[f])).not.toEqual(lines);
    // The focused baseline's root weighs what the unfocused comparison says its place weighed.
    const whole = diffTrees(base, next);
    const node = next.tree.frame.findIndex((f, i) => f === path[1] && next.tree.parent[i] >= 0);
    const focused = diffTrees(applyTransform(base, same), applyTransform(next, { kind: 'focus-subtree', path }));
    expect(focused.baseValue[0]).toBeCloseTo(whole.baseValue[node], 9);
    expect(focused.baseValue[0]).toBeGreaterThan(0.2);
    expect(focused.newValue[0]).toBeCloseTo(whole.newValue[node], 9);
  });

  it('focuses on the same function in the baseline', async () => {
    const [base, next] = await Promise.all([open('shop-checkout.prof'), open('shop-checkout-fixed.prof')]);
    const frame = pathTo(next, 'checkout')[1];
    const same = transformFor({ kind: 'focus-function', frame }, next, base);
    if (typeof same === 'string' || same.kind !== 'focus-function') throw new Error(String(same));
    expect(nameOf(base, same.frame)).toBe('checkout');
  });

  it('leaves the baseline nothing for a place it lacks, and the comparison shows nothing before there', async () => {
    const base = await openProfile(new Blob(['main;a 3\n']), 'before.folded');
    const next = await openProfile(new Blob(['main;a 1\nmain;b 2\n']), 'after.folded');
    const path = pathTo(next, 'b');
    expect(transformFor({ kind: 'focus-subtree', path }, next, base)).toBe('no-samples');
    const diff = diffTrees(withoutSamples(base), applyTransform(next, { kind: 'focus-subtree', path }));
    expect(Array.from(diff.newValue)).toEqual([2]);
    expect(Array.from(diff.baseValue)).toEqual([0]);
  });
});
