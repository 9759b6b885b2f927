import { describe, expect, it } from 'vitest';
import { withIdleRoot } from '~/core/analysis/idle-root';
import { sampledStats } from '~/core/analysis/sampled-stats';
import { parseMojo } from '~/core/formats/austin-mojo/read-mojo';
import { parseSpeedscope } from '~/core/formats/speedscope/read-speedscope';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
import { stringAt } from '~/core/model/string-pack';
import { fixturesDir, readBytes, readText, testDataDir } from '~/test/fixtures';
import { legendColor } from '../flame/colors';
import { sampledColumns } from './sampled-columns';

const pyspy = (name: string) => `${fixturesDir}/pyspy/${name}`;

/** The chip a full path, as py-spy's speedscope output writes it, must have. */
const chipOfFullPath = (file: string) =>
  /\/(site|dist)-packages\//.test(file) ? 'site-pkg' : /\/lib\/python3\.\d+\//.test(file) ? 'stdlib' : 'yours';

describe('the where column', () => {
  it('reads py-spy raw paths relative to sys.path as their full paths say, for every row', () => {
    const p = parseStackText(readText(pyspy('web-py312-pyspy-gil.raw')), 'web-py312-pyspy-gil.raw');
    const full = parseSpeedscope(readBytes(pyspy('web-py312-pyspy-gil.speedscope.json')), 'x.speedscope.json');
    const fullPaths = new Set<string>();
    for (let f = 0; f < full.frames.count; f++) fullPaths.add(stringAt(full.strings, full.frames.file[f]));
    const stats = sampledStats(p);
    const where = sampledColumns(p, stats, 1).find((c) => c.id === 'where')!;
    const seen = new Map<string, string>();
    let checked = 0;
    for (let r = 0; r < stats.frame.length; r++) {
      const file = stringAt(p.strings, p.frames.file[stats.frame[r]]);
      seen.set(file, where.cell(r));
      const fullPath = [...fullPaths].find((f) => f.endsWith(`/${file}`));
      if (!file || !fullPath) continue;
      expect(where.cell(r), file).toBe(chipOfFullPath(fullPath));
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(seen.get('json/encoder.py')).toBe('stdlib');
    expect(seen.get('threading.py')).toBe('stdlib');
    expect(seen.get('modern.py')).toBe('yours');
  });

  it('exports its text, sorts your code first and colours each chip as the legend does', () => {
    const p = parseStackText(readText(pyspy('web-py312-pyspy-gil.raw')), 'web-py312-pyspy-gil.raw');
    const stats = sampledStats(p);
    const where = sampledColumns(p, stats, 1).find((c) => c.id === 'where')!;
    const rows = Array.from({ length: stats.frame.length }, (_, r) => r);
    const kinds: Record<string, string> = { yours: 'user', stdlib: 'stdlib', 'site-pkg': 'thirdparty' };
    for (const r of rows) {
      expect(where.value!(r)).toBe(where.cell(r));
      if (kinds[where.cell(r)]) expect(where.chip!(r)).toBe(legendColor(kinds[where.cell(r)] as 'user'));
      expect(where.note!(r)).toBeTruthy();
    }
    const sorted = rows.sort((a, b) => (where.sortValue(a) as number) - (where.sortValue(b) as number));
    const firstLibrary = sorted.findIndex((r) => where.cell(r) !== 'yours');
    expect(firstLibrary).toBeGreaterThan(0);
    expect(sorted.slice(firstLibrary).every((r) => where.cell(r) !== 'yours')).toBe(true);
  });

  it('names thread and process rows and the idle row by their kind, idle time shown or not', () => {
    // austin's full metrics: idle time, which the views show as one more root frame.
    const read = parseMojo(readBytes(`${testDataDir}/austin/threads-full.mojo`), 'threads-full.mojo');
    expect(read.idle).toBeGreaterThan(0);
    for (const p of [read, withIdleRoot(read)]) {
      const stats = sampledStats(p);
      const where = sampledColumns(p, stats, 1).find((c) => c.id === 'where')!;
      const cells: Record<string, string> = {};
      for (let r = 0; r < stats.count; r++) cells[stringAt(p.strings, p.frames.label[stats.frame[r]])] = where.cell(r);
      expect(cells).toMatchObject({ P501: 'other', 'T0:501': 'other', 'T0:503': 'other', ':GC:': 'made up' });
      if (p !== read) expect(cells['(idle)']).toBe('made up');
    }
  });
});
