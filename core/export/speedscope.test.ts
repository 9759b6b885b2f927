import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../formats/registry';
import { openProfile } from '../formats/open-profile';
import { parseSpeedscope } from '../formats/speedscope/read-speedscope';
import { FileBytes } from '../io/file-bytes';
import { frameKindOf, type Profile } from '../model/profile';
import { stringAt } from '../model/string-pack';
import { fixturesDir, sameStacks, stacksOf } from '~/test/fixtures';
import { toSpeedscope } from './speedscope';

function files(dir = fixturesDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'workloads' ? [] : files(path);
    return /\.truth\.json$|\.(py|sh|md|txt)$/.test(name) || statSync(path).size > 4e6 ? [] : [path];
  });
}

/** What speedscope keeps of a frame: its name, file and a line past 0, and whether it is a thread or process. */
function identity(p: Profile, f: number): string {
  const file = stringAt(p.strings, p.frames.file[f]);
  const line = p.frames.line[f];
  const name = stringAt(p.strings, p.frames.name[f]) || stringAt(p.strings, p.frames.label[f]);
  return `${frameKindOf(p.frames, f)}|${name}|${file === '~' ? '' : file}|${line > 0 ? line : -1}`;
}

const open = (path: string) => openProfile(new Blob([readFileSync(path)]), relative(fixturesDir, path));

/** Every fixture Kiln opens (the registry's tests say which each reader takes). */
const readable = (
  await Promise.all(
    files().map(async (path) => {
      const { head } = await FileBytes.of(new Blob([readFileSync(path)]));
      if (!FORMATS.some((f) => f.recognizes(head))) return undefined;
      return open(path).then(
        () => path,
        () => undefined,
      );
    }),
  )
).filter((p) => p !== undefined);

const treeTotal = (p: Profile) => {
  let sum = 0;
  for (let i = 0; i < p.tree.count; i++) sum += p.tree.self[i];
  return sum;
};

describe("Kiln's speedscope export reopens to the same profile", () => {
  it('covers fixtures of every format', () => {
    expect(readable.length).toBeGreaterThan(100);
  });

  it.each(readable.map((f) => [relative(fixturesDir, f), f]))('%s', async (_, path) => {
    const p = await open(path);
    const json = new TextEncoder().encode(JSON.stringify(toSpeedscope(p)));
    const q = parseSpeedscope(json, p.fileName);
    expect(q.unit).toBe(p.unit);
    const tolerance = 1e-9 * Math.max(1, p.samples);
    expect(sameStacks(stacksOf(q, identity), stacksOf(p, identity), tolerance)).toEqual([]);
    const near = (a: number, b: number) => Math.abs(a - b) <= tolerance;
    expect(near(q.samples, treeTotal(p)), `${q.samples} vs ${treeTotal(p)}`).toBe(true);
    expect(near(q.idle, p.idle + p.failed), `${q.idle} vs ${p.idle + p.failed}`).toBe(true);
  });
});
