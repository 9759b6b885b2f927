import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileBytes } from '../io/file-bytes';
import { ProfileError } from '../model/profile';
import { FORMATS, formatOf } from './registry';
import { openProfile } from './open-profile';
import { fixturesDir } from '~/test/fixtures';

/** Files beside the profiles that hold what the profilers' own code says of them. */
const TRUTH =
  /\.truth\.json$|^pstats\/.*\.(json|txt)$|-pstats\.(json|txt)$|^(tachyon|yappi)\/.*(?<!\.gecko)\.(json|txt)$|\.(py|sh)$|README/;

/**
 * The family each fixture is known to be, by where it comes from; null: a format no reader takes
 * yet, which every reader must leave alone.
 */
function knownFamily(path: string): string | null {
  if (/\.prof$/.test(path)) return 'pstats';
  if (/\.gecko\.json$/.test(path)) return 'gecko';
  if (/^(test\/data\/)?tachyon(-diff)?\/.*\.bin$/.test(path)) return 'tachyon binary';
  if (/\.speedscope\.json$/.test(path)) return 'speedscope';
  if (/\.chrometrace\.json$/.test(path)) return 'Chrome trace';
  if (/^pyinstrument\/.*\.(pyisession|json|html)$/.test(path)) return 'pyinstrument';
  if (/\.callgrind$/.test(path)) return 'callgrind';
  if (/\.mojo$/.test(path)) return 'austin mojo';
  if (/^tachyon\/.*\.flamegraph\.html$|^test\/data\/tachyon-diff\/.*\.html\.gz$/.test(path))
    return 'tachyon flamegraph';
  if (/^tachyon\/.*\.jsonl$/.test(path)) return 'tachyon jsonl';
  if (/^(folded|pyflame|austin)\/|\.(raw|collapsed|austin\.gz)$/.test(path)) return 'stack text';
  return null;
}

/** Families no shared fixture holds: their tests write files with the profiler's own schema. */
const WRITTEN_IN_TESTS = ['pprof'];

/** The repository's own real recordings, of formats the shared fixtures hold none of. */
const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function fixtures(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'workloads' ? [] : fixtures(root, path);
    const rel = relative(root, path);
    return TRUTH.test(rel) ? [] : [rel];
  });
}

const recorded = fixtures(repoDir, join(repoDir, 'test/data'));
const all = [...fixtures(fixturesDir), ...recorded];
const pathOf = (file: string) => join(recorded.includes(file) ? repoDir : fixturesDir, file);

describe('the format registry', () => {
  it('has fixtures of every family, and every fixture is of a family Kiln reads', () => {
    const families = new Set(all.map(knownFamily));
    const withFixtures = FORMATS.map((f) => f.name).filter((name) => !WRITTEN_IN_TESTS.includes(name));
    expect([...families].sort()).toEqual(withFixtures.sort());
  });

  it.each(all)('%s: only its own family recognizes it', async (file) => {
    const { head } = await FileBytes.of(new Blob([readFileSync(pathOf(file))]));
    const claimed = FORMATS.filter((f) => f.recognizes(head)).map((f) => f.name);
    const known = knownFamily(file);
    expect(claimed).toEqual(known ? [known] : []);
    if (known) expect(formatOf(head).name).toBe(known);
    else expect(() => formatOf(head)).toThrow(ProfileError);
  });
});

describe('stack dialects told by content', () => {
  // Pyflame writes flamegraph.pl's folded format exactly unless a sample was idle or failed, or it
  // recorded a flamechart: only those marks tell its files apart.
  const dialectOf = (file: string, text: string): string => {
    if (/^(test\/data\/)?austin\//.test(file)) return 'austin';
    if (file.startsWith('pyspy/')) return 'py-spy';
    if (file.startsWith('tachyon/')) return 'tachyon';
    return /flamechart/.test(file) || /^\((idle|failed)\) /m.test(text) ? 'pyflame' : 'folded';
  };
  const stackFiles = all.filter((f) => knownFamily(f) === 'stack text' && !/-dump\.txt$/.test(f));

  it.each(stackFiles)('%s', async (file) => {
    const bytes = readFileSync(pathOf(file));
    const profile = await openProfile(new Blob([bytes]), file);
    expect(profile.format).toBe(dialectOf(file, bytes.toString('latin1')));
  });
});
