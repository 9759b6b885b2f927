import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allStrings, appendStrings, packStrings, stringAt, stringCount } from './string-pack';
import { parsePstats } from '../formats/pstats/read-pstats';
import { fixturesDir } from '~/test/fixtures';

describe('packed string table', () => {
  it('comes back entry for entry: empty strings, astral and lone surrogates, NULs included', () => {
    const strings = ['', 'a', '', 'caf\u00e9', '\u{1F600}x', '\ud800', 'a\u0000b', ''];
    const packed = packStrings(strings);
    expect(packed.chunks).toEqual([strings.join('')]);
    expect(Array.from(packed.length)).toEqual([0, 1, 0, 4, 3, 1, 3, 0]);
    expect(allStrings(packed)).toEqual(strings);
  });

  it('in chunks of a bounded length, no entry split, one longer than a chunk alone in its own', () => {
    const strings = ['abc', 'de', '', 'fghij', 'k', '', '', 'lmnopqrstu', 'v', 'wx'];
    const packed = packStrings(strings, 4);
    expect(packed.chunks).toEqual(['abc', 'de', 'fghij', 'k', 'lmnopqrstu', 'vwx']);
    expect(packed.chunks.join('')).toBe(strings.join(''));
    expect(allStrings(packed)).toEqual(strings);
    expect(allStrings(packStrings([], 4))).toEqual([]);
    expect(allStrings(packStrings(['', ''], 4))).toEqual(['', '']);
  });

  it('carries the string table of a real profile, which has non-ASCII names', () => {
    const profile = parsePstats(
      new Uint8Array(readFileSync(join(fixturesDir, 'pstats/out/edge-py312-unicode-cprofile.prof'))),
      'u.prof',
    );
    const strings = allStrings(profile.strings);
    expect(strings.some((s) => [...s].some((c) => c.charCodeAt(0) > 0x7f))).toBe(true);
    expect(allStrings(structuredClone(profile.strings))).toEqual(strings);
    expect(allStrings(packStrings(strings))).toEqual(strings);
  });

  it('reads one entry without cutting the others, and grows by new entries without changing the old', () => {
    const packed = packStrings(['alpha', '', 'beta'], 4);
    expect([0, 1, 2].map((i) => stringAt(packed, i))).toEqual(['alpha', '', 'beta']);
    const grown = appendStrings(packed, ['(idle)', '', 'gamma']);
    expect(stringCount(grown)).toBe(6);
    expect(allStrings(grown)).toEqual(['alpha', '', 'beta', '(idle)', '', 'gamma']);
    expect(allStrings(packed)).toEqual(['alpha', '', 'beta']);
    expect(appendStrings(packed, [])).toBe(packed);
  });
});
