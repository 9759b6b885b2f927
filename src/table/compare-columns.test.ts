import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_ONLY, BOTH, NEW_ONLY, compareProfiles } from '~/core/analysis/compare';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
import { fixtureFiles, readBytes, readText } from '~/test/fixtures';
import { compareColumns } from './compare-columns';

const prof = (dir: string, name: string) => {
  const path = fixtureFiles(dir, '.prof').find((f) => basename(f) === `${name}.prof`)!;
  return parsePstats(readBytes(path), basename(path));
};
const samp = (name: string) =>
  parseStackText(readText(fixtureFiles('pyflame', '.samp').find((f) => basename(f) === name)!), name);

describe('the compare table', () => {
  it('reads "new" and "gone" in the Δ% of a function only one side has, a change in per cent where both have it', () => {
    const a = prof('pstats/out', 'seeds-py311-cprofile'),
      b = prof('pstats/out', 'seeds-py312-cprofile');
    const seen = new Set<number>();
    for (const [base, next] of [
      [a, b],
      [b, a],
    ]) {
      const c = compareProfiles(base, next);
      const columns = compareColumns(c, base, next).filter((k) => k.id.endsWith(':pct'));
      expect(columns.map((k) => k.id)).toEqual(['tottime:pct', 'cumtime:pct', 'ncalls:pct']);
      for (let r = 0; r < c.count; r++) {
        seen.add(c.presence[r]);
        for (const column of columns) {
          const cell = column.cell(r);
          if (c.presence[r] === NEW_ONLY) expect(cell).toBe('new');
          else if (c.presence[r] === BASE_ONLY) expect(cell).toBe('gone');
          else expect(cell).toMatch(/^$|^[+−]?\d+\.\d%$/);
        }
      }
    }
    expect([...seen].sort()).toEqual([BOTH, BASE_ONLY, NEW_ONLY].sort());
  });

  it('says in its row that a function was paired after its def line moved (python -m cProfile app.py, 3.9 → 3.10)', () => {
    // Python 3.10 gives a module's code the first line of the file, 3.9 that of its first statement.
    const a = prof('pstats/cli/out', 'app-py39-cprofile'),
      b = prof('pstats/cli/out', 'app-py310-cprofile');
    const c = compareProfiles(a, b);
    const status = compareColumns(c, a, b).find((col) => col.id === 'status')!;
    const module = c.keys.indexOf('app.py\0<module>\x006');
    expect(c.presence[module]).toBe(BOTH);
    expect(c.pairing[module]).toBe('line 6 → 1');
    expect(status.cell(module)).toBe('line 6 → 1');
    const app = c.keys.flatMap((k, r) => (k.startsWith('app.py\0') ? [r] : []));
    expect(app).toHaveLength(18);
    expect(app.filter((r) => c.pairing[r] !== '').map((r) => c.keys[r])).toEqual(['app.py\0<module>\x006']);
  });

  it('gives the status column the width of its longest word, and none to spare where no row has one', () => {
    const a = prof('pstats/cli/out', 'app-py39-cprofile'),
      b = prof('pstats/cli/out', 'app-py310-cprofile');
    const moved = compareColumns(compareProfiles(a, b), a, b).find((col) => col.id === 'status')!;
    expect(moved.width).toBe(`${(0.55 * 'line 6 → 1'.length + 1).toFixed(2)}rem`);
    const same = compareColumns(compareProfiles(b, b), b, b);
    const status = same.find((col) => col.id === 'status')!;
    for (let r = 0; r < compareProfiles(b, b).count; r++) expect(status.cell(r)).toBe('');
    expect(status.width).toBe('0.5rem');
    expect(same.find((col) => col.id === 'function')!.width).toBe('minmax(15rem, 1fr)');
  });

  it('compares two runs of different length as shares of their totals when asked, in the table', () => {
    const base = samp('cpu-py27-default.samp'),
      next = samp('cpu-py36-default.samp');
    expect(base.samples).not.toBe(next.samples);
    const c = compareProfiles(base, next);
    const column = (cols: ReturnType<typeof compareColumns>, id: string) => cols.find((k) => k.id === id)!;
    const fib = c.keys.indexOf('/home/dev/shop/cpu.py\0fib');
    expect(column(compareColumns(c, base, next), 'self:new').value!(fib)).toBe(c.next.self[fib]);
    expect(column(compareColumns(c, base, next, true), 'self:new').value!(fib)).toBeCloseTo(
      (100 * c.next.self[fib]) / next.samples,
      12,
    );
    expect(column(compareColumns(c, base, next, true), 'total:base').cell(fib)).toMatch(/^\d+\.\d\d %$/);
  });
});
