import { execFileSync } from 'node:child_process';

/** The Python that runs `pstats`, or null when there is none. */
export function findPython(): { command: string; version: string } | null {
  for (const command of ['python3', 'python']) {
    try {
      const version = execFileSync(command, ['-c', 'import sys; print(sys.version.split()[0])'], {
        encoding: 'utf8',
      }).trim();
      return { command, version };
    } catch {
      // not on PATH: try the next name
    }
  }
  return null;
}

const LOAD =
  'import pstats, sys, time\nt = time.perf_counter()\npstats.Stats(sys.argv[1])\nprint((time.perf_counter() - t) * 1000)';

/** Milliseconds `pstats.Stats(path)` takes to load the file, timed inside Python (start-up excluded). */
export function pstatsLoadMs(python: string, path: string): number {
  return Number(execFileSync(python, ['-c', LOAD, path], { encoding: 'utf8' }).trim());
}
