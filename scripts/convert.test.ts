import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, readBytes, readJson, testDataDir } from '~/test/fixtures';
import { foldedStacks } from '~/test/tachyon-truth';
import { openProfile } from '~/core/formats/open-profile';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
import { stringAt } from '~/core/model/string-pack';
import type { PstatsJson } from '~/core/export/pstats-json';
import { statsOf } from '~/test/stats-add';

const root = resolve(__dirname, '..');
const convert = (...args: string[]) =>
  spawnSync(resolve(root, 'node_modules/.bin/tsx'), ['scripts/convert.ts', ...args], { cwd: root, encoding: 'utf8' });

describe('convert CLI', () => {
  it('--to json prints the schema of the truth files', () => {
    for (const name of ['merged-py311-cprofile', 'objects-py27-profile']) {
      const out = execFileSync(
        resolve(root, 'node_modules/.bin/tsx'),
        ['scripts/convert.ts', resolve(fixturesDir, `pstats/out/${name}.prof`), '--to', 'json'],
        { cwd: root, encoding: 'utf8' },
      );
      const { python: _python, ...truth } = readJson<Record<string, unknown>>(
        resolve(fixturesDir, `pstats/out/${name}.json`),
      );
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

  it('--to folded writes the merged stacks of a sampled file, idle on its own line', () => {
    const file = resolve(fixturesDir, 'pyflame/idle-py36-default.samp');
    const truth = readJson<{ idle: number; stacks: Record<string, number> }>(`${file}.truth.json`);
    const lines = convert(file, '--to', 'folded').stdout.trim().split('\n');
    const stacks: Record<string, number> = {};
    for (const line of lines.filter((l) => !l.startsWith('(idle) '))) {
      const at = line.lastIndexOf(' ');
      stacks[line.slice(0, at)] = Number(line.slice(at + 1));
    }
    expect(stacks).toEqual(truth.stacks);
    expect(lines).toContain(`(idle) ${truth.idle}`);
  });

  it('--to folded writes the estimated tree of a pstats file', () => {
    const out = convert(resolve(fixturesDir, 'pstats/out/seeds-py312-cprofile.prof'), '--to', 'folded').stdout;
    expect(out).toContain(
      '/home/dev/shop/workloads.py:seeds:78;/home/dev/shop/workloads.py:foo:70;/home/dev/shop/workloads.py:work:64 ',
    );
    // Read back, the frames are the same functions.
    const again = parseStackText(out, 'seeds.folded');
    const names = new Set(
      Array.from(
        { length: again.frames.count },
        (_, f) =>
          `${stringAt(again.strings, again.frames.file[f])}:${again.frames.line[f]}(${stringAt(again.strings, again.frames.name[f])})`,
      ),
    );
    expect(names).toContain('/home/dev/shop/workloads.py:78(seeds)');
    expect(names).toContain(':-1({built-in method time.sleep})');
    const total = out
      .trim()
      .split('\n')
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const truth = readJson<{ entries: { ct: number; callers: unknown[] }[] }>(
      resolve(fixturesDir, 'pstats/out/seeds-py312-cprofile.json'),
    );
    const roots = truth.entries.filter((e) => e.callers.length === 0).reduce((sum, e) => sum + e.ct, 0);
    expect(total).toBeCloseTo(roots, 9);
  });

  it("--to folded on pstats: each function's leaf weights sum to its tottime", () => {
    for (const name of [
      'cli/out/imports-py311-cprofile',
      'cli/out/app-py311-profile',
      'out/recursion-py312-cprofile',
    ]) {
      const out = convert(resolve(fixturesDir, `pstats/${name}.prof`), '--to', 'folded');
      expect(out.status, out.stderr).toBe(0);
      const leaves = new Map<string, number>();
      for (const line of out.stdout.trim().split('\n')) {
        const at = line.lastIndexOf(' ');
        const leaf = line.slice(line.lastIndexOf(';', at) + 1, at);
        leaves.set(leaf, (leaves.get(leaf) ?? 0) + Number(line.slice(at + 1)));
      }
      const truth = readJson<{ entries: { func: [string, number, string]; tt: number }[] }>(
        resolve(fixturesDir, `pstats/${name}.json`),
      );
      const tottime = new Map<string, number>();
      for (const {
        func: [file, line, fn],
        tt,
      } of truth.entries) {
        // A built-in as pstats prints it, `<…>` written `{…}`; any other function as `file:name:line`.
        const label = file === '~' && line === 0 ? fn.replace(/^<(.*)>$/, '{$1}') : `${file}:${fn}:${line}`;
        if (tt > 0) tottime.set(label, tt);
      }
      expect([...leaves.keys()].sort(), name).toEqual([...tottime.keys()].sort());
      for (const [label, tt] of tottime)
        expect(Math.abs(leaves.get(label)! - tt), `${name} ${label}`).toBeLessThanOrEqual(1e-9 * tt);
    }
  });

  it('--to folded writes the new side of a file that holds two profiles, and with --baseline its baseline', async () => {
    const page = resolve(testDataDir, 'tachyon-diff/diff.html.gz');
    const folded = (text: string) => foldedStacks(parseStackText(text, 'side.folded'));
    const [after, before] = [convert(page, '--to', 'folded'), convert(page, '--to', 'folded', '--baseline')];
    expect([after.status, before.status]).toEqual([0, 0]);
    const p = await openProfile(new Blob([readBytes(page) as Uint8Array<ArrayBuffer>]), 'diff.html');
    expect(folded(after.stdout)).toEqual(foldedStacks(p));
    expect(folded(before.stdout)).toEqual(foldedStacks(p.baseline!));
    expect(folded(after.stdout)).not.toEqual(folded(before.stdout));
    const one = convert(resolve(fixturesDir, 'folded/sampler-py311.folded'), '--to', 'folded', '--baseline');
    expect([one.status, one.stderr]).toEqual([1, expect.stringContaining('holds one profile, no baseline')]);
  });

  it('merges several files as pstats.Stats(*files) does, and refuses files of different units', () => {
    const names = ['seeds-py313-cprofile', 'recursion-py313-cprofile', 'objects-py313-cprofile'];
    const out = convert(...names.map((n) => resolve(fixturesDir, `pstats/out/${n}.prof`)), '--to', 'json');
    const truths = names.map((n) => {
      const { python: _python, ...truth } = readJson<PstatsJson & { python: string }>(
        resolve(fixturesDir, `pstats/out/${n}.json`),
      );
      return truth;
    });
    expect(JSON.parse(out.stdout)).toStrictEqual(statsOf(truths));
    const mixed = convert(
      resolve(fixturesDir, 'pstats/out/seeds-py313-cprofile.prof'),
      resolve(fixturesDir, 'pyflame/idle-py36-default.samp'),
      '--to',
      'folded',
    );
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toContain('profiles of different units cannot be merged');
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

describe('CSV cells', () => {
  it('keeps text a spreadsheet would run as a formula as text, and numbers as numbers', async () => {
    const { csvLine } = await import('~/core/export/table-csv');
    expect(csvLine(['=HYPERLINK("x")', -0.5, '@sum', 'plain, with comma'])).toBe(
      `"'=HYPERLINK(""x"")",-0.5,'@sum,"plain, with comma"`,
    );
  });
});
