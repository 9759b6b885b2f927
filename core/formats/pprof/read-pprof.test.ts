import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FrameKind, ProfileError, frameKindOf, type Profile } from '~/core/model/profile';
import { threadRoots } from '~/core/analysis/threads';
import { stringAt } from '~/core/model/string-pack';
import { openProfile } from '../open-profile';
import { formatOf } from '../registry';
import { toFolded } from '~/core/export/folded';
import { PERIOD_NS, pprofBytes, webServerPprof } from '~/test/pprof-writer';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { looksLikePprof, parsePprof } from './read-pprof';

const labels = (p: Profile) => Array.from(p.frames.label, (l) => stringAt(p.strings, l));

describe('pprof profiles', () => {
  it("opens gzip'd as written, cpu values in seconds, stacks root first with inlined frames under their caller", async () => {
    const bytes = gzipSync(webServerPprof());
    const p = await openProfile(new Blob([bytes]), 'cpu.pb.gz');
    expect(p.format).toBe('pprof');
    expect(p.unit).toBe('seconds');
    expect(p.samples).toBeCloseTo((75 * PERIOD_NS) / 1e9, 12);
    expect(p.warnings).toEqual(['values are cpu (nanoseconds); the file also holds samples (count)']);
    expect(toFolded(p).trim().split('\n').sort()).toEqual(
      [
        '<module> (app.py:1);serve (app.py:20);handle (app.py:31);render (views.py:8) 0.4',
        '<module> (app.py:1);serve (app.py:20);handle (app.py:31);query (db.py:12) 0.25',
        '<module> (app.py:1);serve (app.py:20);handle (app.py:33);dumps (json/__init__.py:231) 0.07',
        '<module> (app.py:1);serve (app.py:20);0x7f00 (/usr/bin/python3.12) 0.03',
      ].sort(),
    );
    const f = labels(p).indexOf('dumps (json/__init__.py:231)');
    expect(stringAt(p.strings, p.frames.name[f])).toBe('dumps');
    expect(stringAt(p.strings, p.frames.file[f])).toBe('json/__init__.py');
    expect(p.frames.line[f]).toBe(231);
  });

  it('shows the sample type the file names its default, and its comments', () => {
    const p = parsePprof(
      pprofBytes({ samples: [[['main@a.py:3'], 4]], defaultType: 'samples', comment: 'run 7' }),
      'x',
    );
    expect(p.unit).toBe('samples');
    expect(p.samples).toBe(4);
    expect(p.warnings).toEqual(['values are samples (count); the file also holds cpu (nanoseconds)', 'comment: run 7']);
  });

  it('is told by its fields, not taken for text, marshal data or other binary files', () => {
    expect(looksLikePprof(webServerPprof())).toBe(true);
    expect(looksLikePprof(webServerPprof().subarray(0, 40))).toBe(true);
    expect(looksLikePprof(new TextEncoder().encode('main;f;g 12\n'))).toBe(false);
    expect(looksLikePprof(new TextEncoder().encode('python app.py 3\n'))).toBe(false);
    for (const path of fixtureFiles('pstats/out', '.prof').slice(0, 5))
      expect(looksLikePprof(readBytes(path))).toBe(false);
    expect(formatOf(webServerPprof()).name).toBe('pprof');
  });

  it('fails with a ProfileError on damaged data', () => {
    const bytes = webServerPprof();
    for (let n = 1; n < bytes.length; n += 7) {
      try {
        parsePprof(bytes.subarray(0, n), 'cut.pb');
      } catch (e) {
        expect(e, `cut at ${n}`).toBeInstanceOf(ProfileError);
      }
    }
    expect(() => parsePprof(Uint8Array.of(0x0a, 0x04, 0x08, 0x63, 0x10, 0x01), 'bad.pb')).toThrow(
      /string index \(99\) lies outside the string table/,
    );
    expect(() => parsePprof(Uint8Array.of(0x0a, 0x7f, 0x08), 'bad.pb')).toThrow(ProfileError);
  });
});

describe('pprof sample labels naming threads and processes', () => {
  const kindsOfRoots = (p: Profile) => {
    const { frame, total } = threadRoots(p);
    return Object.fromEntries(
      Array.from(frame, (f, i) => [`${stringAt(p.strings, p.frames.label[f])} ${frameKindOf(p.frames, f)}`, total[i]]),
    );
  };

  it("Pyroscope's string labels: the process at the root, its threads below, each thread's time its samples'", () => {
    const web = { pid: '4242', thread_id: '4660', thread_name: 'worker-0' };
    const p = parsePprof(
      pprofBytes({
        samples: [
          [['serve@app.py:20', 'handle@app.py:31'], 30, web],
          [['serve@app.py:20', 'query@db.py:12'], 12, web],
          [['tick@metrics.py:5'], 5, { pid: '4242', thread_id: '4661', thread_name: 'metrics', span_id: '77' }],
          [['main@app.py:1'], 2, { pid: '4242', thread_id: '4242', thread_name: 'MainThread' }],
        ],
        defaultType: 'samples',
      }),
      'pyroscope.pb',
    );
    expect(kindsOfRoots(p)).toEqual({ [`process 4242 ${FrameKind.process}`]: 49 });
    expect(toFolded(p).trim().split('\n').sort()).toEqual(
      [
        'process 4242;thread (4660): worker-0;serve (app.py:20);handle (app.py:31) 30',
        'process 4242;thread (4660): worker-0;serve (app.py:20);query (db.py:12) 12',
        'process 4242;thread (4661): metrics;tick (metrics.py:5) 5',
        'process 4242;thread (4242): MainThread;main (app.py:1) 2',
      ].sort(),
    );
    const threads = labels(p).filter((l) => l.startsWith('thread ('));
    for (const t of threads) expect(frameKindOf(p.frames, labels(p).indexOf(t))).toBe(FrameKind.thread);
    expect(threads).toHaveLength(3);
  });

  it("Datadog's numeric thread ids: the OS thread id before Python's, any spelling of the keys", () => {
    const p = parsePprof(
      pprofBytes({
        samples: [
          [
            ['run@job.py:9'],
            6,
            { 'thread id': 139872641218368, 'thread native id': 2412, 'thread name': 'MainThread' },
          ],
          [['poll@io.py:3'], 4, { 'Thread-Native-Id': 2413, 'trace endpoint': 'GET /' }],
          [['idle@io.py:1'], 1, { 'thread name': 'pool-1' }],
          [['bare@x.py:1'], 3],
        ],
        defaultType: 'samples',
      }),
      'ddtrace.pprof',
    );
    expect(kindsOfRoots(p)).toEqual({
      [`thread (2412): MainThread ${FrameKind.thread}`]: 6,
      [`thread (2413) ${FrameKind.thread}`]: 4,
      [`thread: pool-1 ${FrameKind.thread}`]: 1,
    });
    expect(toFolded(p)).toContain('bare (x.py:1) 3');
    expect(p.samples).toBe(14);
  });

  it('files without such labels keep their stacks at the root, as before', () => {
    const p = parsePprof(webServerPprof(), 'cpu.pb');
    expect(threadRoots(p).frame).toHaveLength(0);
    expect(p.frames.kind === undefined || p.frames.kind.every((k) => k === FrameKind.code)).toBe(true);
  });
});
