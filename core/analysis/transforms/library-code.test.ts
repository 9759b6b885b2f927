import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProfile } from '../../formats/open-profile';
import { frameKindOf, type Profile } from '../../model/profile';
import { stringAt } from '../../model/string-pack';
import { fixturesDir, readBytes } from '~/test/fixtures';
import { codeKind } from '../code-kind';
import { applyTransform } from './transforms';
import { libraryKindOf } from './library-code';

const open = (path: string) => openProfile(new Blob([readBytes(join(fixturesDir, path)).slice()]), path);

/** Whether the colours call a frame library code: the standard library or site-packages. */
function colouredLibrary(p: Profile, f: number): boolean {
  const kind = codeKind(
    stringAt(p.strings, p.frames.file[f]),
    stringAt(p.strings, p.frames.label[f]),
    frameKindOf(p.frames, f),
  );
  return kind === 'stdlib' || kind === 'thirdparty';
}

/** Labels of tree nodes that are library code called by library code. */
function libraryUnderLibrary(p: Profile): string[] {
  const { tree } = p;
  const found = new Set<string>();
  for (let i = 0; i < tree.count; i++) {
    const up = tree.parent[i];
    if (up >= 0 && colouredLibrary(p, tree.frame[i]) && colouredLibrary(p, tree.frame[up]))
      found.add(stringAt(p.strings, p.frames.label[tree.frame[i]]));
  }
  return [...found].sort();
}

describe('hide library code hides what the colours call library code', () => {
  it.each([
    'tachyon/web-py315-tachyon.collapsed',
    'tachyon/web-py315-tachyon.gecko.json',
    'tachyon/web-py315-tachyon.bin',
    'pyspy/web-py311-pyspy-threads.raw',
  ])('%s: no library frame is left under another', async (path) => {
    const p = await open(path);
    const before = libraryUnderLibrary(p);
    expect(before.some((label) => label.includes('_bootstrap_inner'))).toBe(true);
    expect(libraryUnderLibrary(applyTransform(p, { kind: 'hide-library' }))).toEqual([]);
  });

  it('the same recording with short and with full paths hides the same functions', async () => {
    const labels = (p: Profile) => {
      const out = new Set<string>();
      for (let i = 0; i < p.tree.count; i++) out.add(stringAt(p.strings, p.frames.label[p.tree.frame[i]]));
      return [...out].sort();
    };
    const kept = async (path: string) => labels(applyTransform(await open(path), { kind: 'hide-library' }));
    const collapsed = await kept('tachyon/web-py315-tachyon.collapsed');
    expect(collapsed.filter((label) => label.includes('_bootstrap_inner'))).toEqual([]);
    expect(await kept('tachyon/web-py315-tachyon.gecko.json')).toEqual(collapsed);
  });

  it.each([
    ['threading.py', 'stdlib'],
    ['json/decoder.py', 'stdlib'],
    ['/usr/lib/python3.12/threading.py', 'stdlib'],
    ['~', 'stdlib'],
    ['certifi/core.py', 'site-packages'],
    ['/venv/lib/python3.12/site-packages/req/api.py', 'site-packages'],
    ['importlib/_bootstrap.py', 'import'],
    ['<frozen importlib._bootstrap>', 'import'],
    ['modern.py', null],
    ['/app/main.py', null],
  ])('%s is %s', (file, kind) => expect(libraryKindOf(file)).toBe(kind));
});
