import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePstats } from './read-pstats';
import { sortedEntries, statsHeaderText, statsRowText } from './pstats-text';
import { toPstatsJson, type PstatsJson } from '~/core/export/pstats-json';
import { fixtureFiles, readBytes, readJson, readText } from '~/test/fixtures';

const profs = fixtureFiles('pstats/out', '.prof');

/** The rows of one `### print_stats sort=KEY` section of a fixture's `.txt`. */
function printedSection(txt: string, key: string): { header: string; rows: string[] } {
  const section = txt.split(/^### /m).find((s) => s.startsWith(`print_stats sort=${key}\n`));
  if (!section) throw new Error(`no print_stats sort=${key} section`);
  const lines = section.split('\n');
  const title = lines.findIndex((l) => l.includes('filename:lineno(function)'));
  const header = lines.find((l) => l.includes('function calls'))!.trim();
  const rows = lines.slice(title + 1).filter((l) => l.trim() !== '');
  return { header, rows };
}

describe('pstats parser against the files pstats itself loaded', () => {
  it('finds every fixture', () => {
    expect(profs.length).toBeGreaterThanOrEqual(90);
  });

  for (const path of profs) {
    const name = basename(path);
    it(`${name}: model equals the .json truth exactly`, () => {
      const truth = readJson<PstatsJson & { python: string }>(path.replace(/\.prof$/, '.json'));
      const { python: _python, ...expected } = truth;
      const profile = parsePstats(readBytes(path), name);
      expect(toPstatsJson(profile)).toStrictEqual(expected);
    });

    it(`${name}: print_stats sort=cumulative text matches`, () => {
      const profile = parsePstats(readBytes(path), name);
      const s = profile.pstats!;
      const printed = printedSection(readText(path.replace(/\.prof$/, '.txt')), 'cumulative');
      expect(statsHeaderText(s)).toBe(printed.header);
      const rows = Array.from(sortedEntries(s, 'cumtime'), (f) => statsRowText(profile, s, f));
      expect(rows).toStrictEqual(printed.rows);
    });
  }
});
