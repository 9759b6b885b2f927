import { describe, expect, it } from 'vitest';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { stringAt } from '~/core/model/string-pack';
import { join } from 'node:path';
import { fixturesDir, readBytes } from '~/test/fixtures';
import { placeWhereAmbiguous, shortFile } from './frame-place';
import { displayName } from './names';

describe('where a function lives, shown where its name alone is ambiguous', () => {
  it('tells a package by its folder, a module by its file', () => {
    expect(shortFile('/usr/lib/python3.15/json/__init__.py')).toBe('json/__init__.py');
    expect(shortFile('C:\\app\\shop\\checkout.py')).toBe('checkout.py');
    expect(shortFile('__init__.py')).toBe('__init__.py');
  });

  it('marks every shared name of the imports profile, and only those, so that no two marked rows read alike', () => {
    const p = parsePstats(
      readBytes(join(fixturesDir, 'pstats/cli/out/imports-py315-cprofile.prof')),
      'imports-py315-cprofile.prof',
    );
    const byName = new Map<string, Set<string>>();
    for (let f = 0; f < p.frames.count; f++) {
      const file = stringAt(p.strings, p.frames.file[f]);
      if (file === '~') continue;
      const name = displayName(p, f);
      byName.set(name, (byName.get(name) ?? new Set()).add(file));
    }
    const modules = [...byName.get('<module>')!];
    expect(modules.length).toBeGreaterThan(10);
    const shown = new Map<string, number>();
    for (let f = 0; f < p.frames.count; f++) {
      const file = stringAt(p.strings, p.frames.file[f]);
      const place = placeWhereAmbiguous(p, f);
      const shared = file !== '~' && byName.get(displayName(p, f))!.size > 1;
      expect(place !== null, `${displayName(p, f)} in ${file}`).toBe(shared);
      if (place) {
        expect(file.endsWith(place)).toBe(true);
        const text = `${displayName(p, f)} ${place} ${p.frames.line[f]}`;
        shown.set(text, (shown.get(text) ?? 0) + 1);
      }
    }
    expect([...shown.values()].every((n) => n === 1)).toBe(true);
  });
});
