import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, readJson } from './fixtures';

const root = resolve(__dirname, '..');
const convert = (...args: string[]) =>
  spawnSync(resolve(root, 'node_modules/.bin/tsx'), ['scripts/convert.ts', ...args], { cwd: root, encoding: 'utf8' });

describe('convert CLI', () => {
  it('--to json prints the schema of the truth files', () => {
    for (const name of ['merged-py311-cprofile', 'objects-py27-profile']) {
      const out = execFileSync(resolve(root, 'node_modules/.bin/tsx'), ['scripts/convert.ts', resolve(fixturesDir, `pstats/out/${name}.prof`), '--to', 'json'], { cwd: root, encoding: 'utf8' });
      const { python: _python, ...truth } = readJson<Record<string, unknown>>(resolve(fixturesDir, `pstats/out/${name}.json`));
      expect(JSON.parse(out)).toStrictEqual(truth);
    }
  });

  it('--to csv prints the table by cumulative time', () => {
    const r = convert(resolve(fixturesDir, 'pstats/out/seeds-py312-cprofile.prof'), '--to', 'csv');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('ncalls,primitive_calls,tottime,tottime_percall,cumtime,cumtime_percall,file,line,function');
    expect(lines).toHaveLength(24);
    expect(lines[1]).toBe('1,1,0.000531691,0.000531691,0.033939166,0.033939166,/home/dev/shop/workloads.py,78,seeds');
    expect(lines.find((l) => l.includes('time.sleep'))).toMatch(/^2,2,0\.030\d+,.*,~,0,<built-in method time\.sleep>$/);
  });

  it('says what is wrong with a file it cannot read', () => {
    const missing = convert('/no/such/file.prof', '--to', 'json');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read /no/such/file.prof');
    const usage = convert(resolve(fixturesDir, 'pstats/out/seeds-py312-cprofile.prof'));
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: npm run convert');
  });
});
