import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePstats } from './read-pstats';
import { sortedEntries, statsHeaderText, statsRowText } from './pstats-text';
import { toPstatsJson, type PstatsJson } from '~/core/export/pstats-json';
import { fixtureFiles, readBytes, readJson, readText } from '~/test/fixtures';

const profs = fixtureFiles('pstats/out', '.prof');
const cliProfs = fixtureFiles('pstats/cli/out', '.prof');

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

describe('python -m cProfile -o and python -m profile -o files of every Python', () => {
  it('finds cProfile and profile files of 2.7 to 3.15', () => {
    const names = cliProfs.map((p) => basename(p));
    for (const python of [
      'py27',
      'py36',
      'py37',
      'py38',
      'py39',
      'py310',
      'py311',
      'py312',
      'py313',
      'py314',
      'py315',
    ]) {
      expect(names).toContain(`app-${python}-cprofile.prof`);
      expect(names).toContain(`app-${python}-profile.prof`);
    }
  });

  for (const path of cliProfs) {
    const name = basename(path);
    it(`${name}: model equals the .json truth exactly`, () => {
      const truth = readJson<PstatsJson & Record<string, unknown>>(path.replace(/\.prof$/, '.json'));
      const { python: _python, stats_class: _class, sampled_marker: _marker, ...expected } = truth;
      expect(toPstatsJson(parsePstats(readBytes(path), name))).toStrictEqual(expected);
    });
  }

  for (const path of cliProfs.filter((p) => basename(p).startsWith('app-'))) {
    const name = basename(path);
    it(`${name}: print_stats sort=cumulative text matches, the script's code object named as pstats prints it`, () => {
      const profile = parsePstats(readBytes(path), name);
      const s = profile.pstats!;
      const printed = printedSection(readText(path.replace(/\.prof$/, '.txt')), 'cumulative');
      expect(statsHeaderText(s)).toBe(printed.header);
      const rows = Array.from(sortedEntries(s, 'cumtime'), (f) => statsRowText(profile, s, f));
      expect(rows).toStrictEqual(printed.rows);
      if (name.endsWith('-profile.prof'))
        expect(rows[0]).toMatch(/ profile:0\(<code object <module>, file "app\.py", line [16]>\)$/);
    });
  }
});

describe("yappi's pstat files, read as pstats reads them", () => {
  const yappiProfs = fixtureFiles('yappi', '.prof');

  it('finds the cpu and wall files', () => {
    expect(yappiProfs.map((p) => basename(p))).toEqual(['web-py314-yappi-cpu.prof', 'web-py314-yappi-wall.prof']);
  });

  for (const path of yappiProfs) {
    const name = basename(path);
    it(`${name}: model equals the .json truth exactly, call counts in the slots yappi wrote them to`, () => {
      const truth = readJson<PstatsJson & Record<string, unknown>>(path.replace(/\.prof$/, '.json'));
      const { python: _python, stats_class: _class, sampled_marker: _marker, ...expected } = truth;
      const profile = parsePstats(readBytes(path), name);
      expect(toPstatsJson(profile)).toStrictEqual(expected);
      // yappi writes (ncall, nactualcall): more "primitive" calls than calls, as pstats prints them.
      expect(profile.pstats!.primCalls).toBeGreaterThan(profile.pstats!.totalCalls);
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
