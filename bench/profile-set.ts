/** Opening a folder of per-request pstats files in Kiln, and `pstats.Stats(*files)` on the same files. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { launch, measureMemory, type MemoryPeaks } from './browser';
import { outDir, repoRoot } from './inputs';
import { kilnReadyToMeasure } from './viewers';

const makeRequests = resolve(repoRoot, 'bench/make-requests.py');

export interface RequestSet {
  dir: string;
  files: number;
  bytes: number;
}

/** `n` per-request cProfile files (about 50 KB each), made once into bench/out/. */
export function requestSet(n: number, python: string, log: (s: string) => void): RequestSet {
  const dir = resolve(outDir, `requests-${n}`);
  if (!existsSync(dir) || readdirSync(dir).length !== n) {
    log(`writing ${dir}`);
    execFileSync(python, [makeRequests, String(n), dir], { stdio: 'inherit' });
  }
  return requestSetIn(dir);
}

/** The files already in `dir`, as a set. */
export function requestSetIn(dir: string): RequestSet {
  const names = readdirSync(dir);
  const bytes = names.reduce((sum, f) => sum + statSync(resolve(dir, f)).size, 0);
  return { dir, files: names.length, bytes };
}

const STATS_ALL =
  'import glob, pstats, sys, time\nfiles = sorted(glob.glob(sys.argv[1] + "/*.prof"))\nt = time.perf_counter()\npstats.Stats(*files)\nprint((time.perf_counter() - t) * 1000)';

/** Milliseconds of `pstats.Stats(*files)` over the folder's files in name order, timed inside Python. */
export function pstatsStatsAllMs(python: string, dir: string): number {
  return Number(execFileSync(python, ['-c', STATS_ALL, dir], { encoding: 'utf8' }).trim());
}

export interface SetOpenRun {
  /** From the folder picker's `change` event to the list and the merge of all on screen. */
  listedAndMerged: number;
  memory: MemoryPeaks;
}

/** Picks the folder in Kiln's folder picker and waits for the list and merge on screen: hand-off and done, in the page's clock. */
export async function pickSet(page: Page, set: RequestSet): Promise<{ handoff: number; done: number }> {
  await page.setInputFiles('[data-testid=folder-input]', set.dir);
  const done = await page.waitForFunction(
    (n) => {
      const name = document.querySelector('[data-testid=file-name]')?.textContent ?? '';
      // The list draws the rows in view; its head counts them all.
      const listed = document.querySelector('[data-testid=set-list]')?.textContent ?? '';
      return name.includes(`(${n} merged)`) && listed.includes(`${n} of ${n} profiles read`) && performance.now();
    },
    set.files,
    { timeout: 10 * 60_000, polling: 'raf' },
  );
  const handoff = await page.evaluate(() => (window as unknown as { __probe: { handoff: number } }).__probe.handoff);
  return { handoff, done: (await done.jsonValue()) as number };
}

/** Opens the set in a fresh browser: its time from hand-off to the list and merge on screen, and memory. */
export async function openSetInKiln(appUrl: string, set: RequestSet): Promise<SetOpenRun> {
  const browser = await launch();
  try {
    const { page, targets } = await kilnReadyToMeasure(browser, appUrl);
    const { result, memory } = await measureMemory(browser, page, targets, () => pickSet(page, set));
    return { listedAndMerged: result.done - result.handoff, memory };
  } finally {
    await browser.close();
  }
}
