import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Profile } from '~/core/model/profile';
import { fixturesDir, readJson, readText } from '~/test/fixtures';
import { foldedStacks } from '~/test/tachyon-truth';
import { profileViolations } from '~/fuzz/invariants';
import { openProfile } from '../open-profile';

const before = join(fixturesDir, 'folded/sampler-py311.folded');
const after = join(fixturesDir, 'folded/sampler-py311-threads.folded');

/**
 * The lines difffolded.pl writes for two folded files: each stack of either once, with its count
 * in the first file and in the second (0 where a file lacks it). Its lines come in hash order, so
 * any order is real: the second file's stacks come first here, then the first's own.
 */
function diffFolded(first: string, second: string): string {
  const counts = new Map<string, [number, number]>();
  const add = (text: string, column: 0 | 1) => {
    for (const line of text.split('\n')) {
      const m = /^(.*)\s+?(\d+(?:\.\d*)?)$/.exec(line);
      if (!m) continue;
      const both = counts.get(m[1]) ?? [0, 0];
      both[column] += Number(m[2]);
      counts.set(m[1], both);
    }
  };
  add(readText(second), 1);
  add(readText(first), 0);
  return [...counts].map(([stack, [a, b]]) => `${stack} ${a} ${b}\n`).join('');
}

const open = (text: string, name: string) => openProfile(new Blob([text]), name);

const sideOf = (p: Profile) => ({
  stacks: foldedStacks(p),
  samples: p.samples,
  idle: p.idle,
  nodes: p.tree.count,
  frames: p.frames.count,
});

describe("difffolded.pl's two-count lines", () => {
  it('open as the two files they join: the first counts the baseline, the second the profile', async () => {
    const text = diffFolded(before, after);
    const lines = text.trimEnd().split('\n');
    // Both columns are read from lines that join stacks of both files, and of one only.
    expect(lines.filter((l) => / [1-9]\d* [1-9]\d*$/.test(l)).length).toBeGreaterThan(0);
    expect(lines.filter((l) => / 0 \d+$/.test(l)).length).toBeGreaterThan(0);
    expect(lines.filter((l) => / \d+ 0$/.test(l)).length).toBeGreaterThan(0);

    const p = await open(text, 'threads.diff.folded');
    expect(sideOf(p)).toEqual(sideOf(await open(readText(after), 'after')));
    expect(sideOf(p.baseline!)).toEqual(sideOf(await open(readText(before), 'before')));
    for (const [side, file] of [
      [p, after],
      [p.baseline!, before],
    ] as const) {
      const truth = readJson<{ samples: number; stacks: Record<string, number> }>(`${file}.truth.json`);
      expect(side.samples).toBe(truth.samples);
      expect(foldedStacks(side)).toEqual(truth.stacks);
    }
    expect(p.baseline!.fileName).toBe('threads.diff.folded (before)');
    expect(profileViolations(p)).toEqual([]);
  });

  it('swapped, the sides swap', async () => {
    const p = await open(diffFolded(after, before), 'swapped.folded');
    expect(sideOf(p)).toEqual(sideOf(await open(readText(before), 'before')));
    expect(sideOf(p.baseline!)).toEqual(sideOf(await open(readText(after), 'after')));
  });
});
