import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readProfile } from '~/core/formats/open-profile';
import { withCalls } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { warmUp } from './warm-up';

const bundled = () =>
  new Blob([readFileSync(fileURLToPath(new URL('../public/warm-up/imports.prof', import.meta.url)))]);

describe('warming the readers', () => {
  it('reads a bundled profile of the shape users have: hundreds of functions, importlib recursing', async () => {
    const opened = await readProfile(bundled(), 'imports.prof');
    if (!('calls' in opened)) throw new Error('not read as pstats');
    const entries = opened.profile.pstats!.cc.length;
    expect(entries).toBeGreaterThan(500);
    const calls = opened.calls();
    expect(calls.edges.edgeCaller.length).toBeGreaterThan(entries);
    const { frames, strings, pstats } = withCalls(opened.profile, calls);
    // importlib's _find_and_load calls itself through the modules it imports: recursion, which
    // pstats counts as more calls than primitive ones, and the estimated tree has to fold.
    const load = Array.from({ length: entries }, (_, f) => f).find(
      (f) => stringAt(strings, frames.name[f]) === '_find_and_load',
    );
    expect(load).toBeDefined();
    expect(pstats!.nc[load!]).toBeGreaterThan(pstats!.cc[load!]);
    expect(calls.tree.count).toBeGreaterThan(entries);
  });

  it('reads as many times as asked when nothing comes, and stops at the first check once a file has', async () => {
    let checks = 0;
    await warmUp(bundled(), 3, () => (checks++, false));
    expect(checks).toBe(6);
    checks = 0;
    await warmUp(bundled(), 3, () => ++checks > 1);
    expect(checks).toBe(2);
  });
});
