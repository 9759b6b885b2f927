import { describe, expect, it } from 'vitest';
import { FrameKind, frameKindOf, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { toFolded } from '~/core/export/folded';
import { parseStackText } from './read-stacks';

// No gProfiler file is among the fixtures: these are written as gprofiler/merge.py writes them
// (`_make_profile_metadata`'s first line, `_enrich_and_finalize_stack`'s prefixes: the application
// metadata index, the container, the process, the appid after it) with frames as its README
// documents them (py-spy `function (file.py:12)_[p]`, PyPerf native `_[pn]`, kernel `_[k]`, Java `_[j]`).
const metadata = (appMetadata: boolean) =>
  '# ' +
  JSON.stringify({
    containers: ['web-1', 'worker-2'],
    container_names_enabled: true,
    metadata: { hostname: 'node-7', profiling_mode: 'cpu', start_time: '2024-05-01T10:00:00', agent_version: '1.51.0' },
    metrics: { cpu_avg: 12.5, mem_avg: 40.1 },
    application_metadata: appMetadata ? [null, { exe: '/usr/bin/python3.11' }] : [null],
    application_metadata_enabled: appMetadata,
    profiling_mode: 'cpu',
  });

const stacks = [
  '1;web-1;python3;appid: python: app.py (/srv/app.py);<module> (/srv/app.py:1)_[p];handle (/srv/app.py:20)_[p];dumps (/usr/lib/python3.11/json/__init__.py:231)_[p] 5',
  '1;web-1;python3;appid: python: app.py (/srv/app.py);<module> (/srv/app.py:1)_[p];handle (/srv/app.py:20)_[p];_PyEval_EvalFrameDefault_[pn];do_syscall_64_[k] 2',
  '0;;java;java/lang/Thread.run_[j];java/lang/Thread.sleep_[j] 3',
  '0;;swapper;secondary_startup_64_[k];cpu_idle_[k] 7',
];

const labels = (p: Profile) => Array.from(p.frames.label, (l) => stringAt(p.strings, l));
const frameNamed = (p: Profile, label: string) => labels(p).indexOf(label);

describe('gProfiler collapsed files', () => {
  it('reads the metadata line, the container and process root frames and the frames without their suffixes', () => {
    const p = parseStackText([metadata(true), ...stacks].join('\n') + '\n', 'profile.col');
    expect(p.format).toBe('gprofiler');
    expect(p.samples).toBe(17);
    expect(p.invalidLines).toBe(0);
    expect(p.warnings[0]).toBe(
      'gProfiler metadata: host node-7, mode cpu, from 2024-05-01T10:00:00, agent 1.51.0, CPU 12.5%, memory 40.1%, 2 containers',
    );
    const container = frameNamed(p, 'container: web-1');
    expect(frameKindOf(p.frames, container)).toBe(FrameKind.process);
    expect(frameKindOf(p.frames, frameNamed(p, 'python3'))).toBe(FrameKind.process);
    expect(frameKindOf(p.frames, frameNamed(p, 'swapper'))).toBe(FrameKind.process);
    expect(frameKindOf(p.frames, frameNamed(p, 'appid: python: app.py (/srv/app.py)'))).toBe(FrameKind.synthetic);
    // The tree's roots are the container and the processes outside one.
    const roots = [];
    for (let i = 0; i < p.tree.count; i++) if (p.tree.parent[i] < 0) roots.push(labels(p)[p.tree.frame[i]]);
    expect(roots.sort()).toEqual(['container: web-1', 'java', 'swapper']);

    const dumps = frameNamed(p, 'dumps (/usr/lib/python3.11/json/__init__.py:231)_[p]');
    expect(stringAt(p.strings, p.frames.name[dumps])).toBe('dumps');
    expect(stringAt(p.strings, p.frames.file[dumps])).toBe('/usr/lib/python3.11/json/__init__.py');
    expect(p.frames.line[dumps]).toBe(231);
    for (const [label, name] of [
      ['do_syscall_64_[k]', 'do_syscall_64'],
      ['_PyEval_EvalFrameDefault_[pn]', '_PyEval_EvalFrameDefault'],
      ['java/lang/Thread.sleep_[j]', 'java/lang/Thread.sleep'],
    ]) {
      const f = frameNamed(p, label);
      expect(stringAt(p.strings, p.frames.name[f]), label).toBe(name);
      expect(stringAt(p.strings, p.frames.file[f]), label).toBe('');
    }
  });

  it('has no application metadata index when gProfiler says it is off', () => {
    const lines = stacks.map((l) => l.slice(l.indexOf(';') + 1));
    const p = parseStackText([metadata(false), ...lines].join('\n'), 'profile.col');
    expect(p.invalidLines).toBe(0);
    expect(toFolded(p).split('\n')[0]).toMatch(/^container: web-1;python3;appid: python: app\.py/);
  });

  it('counts a stack without its process frames, or a metadata line that is not JSON, as unreadable', () => {
    const bad = '# {"profiling_mode": "cpu", oops';
    const p = parseStackText([bad, '1;web-1 4', ...stacks].join('\n'), 'profile.col');
    expect(p.format).toBe('gprofiler');
    expect(p.invalidLineNumbers).toEqual([1, 2]);
    expect(p.samples).toBe(17);
  });

  it('resists a metadata line with __proto__ keys', () => {
    const line =
      '# {"__proto__": {"polluted": 1}, "profiling_mode": "cpu", "metadata": {"__proto__": {"hostname": "x"}}}';
    const p = parseStackText([line, stacks[3]].join('\n'), 'profile.col');
    expect(p.warnings[0]).toBe('gProfiler metadata: mode cpu');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
