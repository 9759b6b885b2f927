/**
 * Two builds of Kiln, each unminified (`npx vite build --minify false`), opened at the stats table
 * alternately under Chromium's sampling profiler: per open, the page's and the worker's sampled
 * busy time and when the worker first ran `readPstats` (ms from the profiler's start, just before
 * the hand-off). Where the load swings the open's time, when the parse starts still shows how
 * long the worker waited for the file.
 * `npx tsx bench/parse-start-ab.ts DIST_A DIST_B ROUNDS FILE...`
 */
import { basename } from 'node:path';
import { launch } from './browser';
import { kilnProfiled } from './cpu-profile';
import { serveDirectory } from './serve';
import { handOffToKiln } from './viewers';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Busy ms (samples not idle) and when `mark` first ran (ms from the start, -1: never). */
function busy(p: CpuProfile, mark: string): { busy: number; firstMark: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame.functionName]));
  let busyUs = 0;
  let t = p.startTime;
  let firstMark = -1;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const name = byId.get(p.samples[i]) ?? '';
    const us = p.timeDeltas[i + 1] ?? 0;
    if (name !== '(idle)') busyUs += us;
    if (firstMark < 0 && name === mark) firstMark = (t - p.startTime) / 1000;
  }
  return { busy: busyUs / 1000, firstMark };
}

async function once(url: string, file: string): Promise<string> {
  const browser = await launch();
  try {
    const { page, targets, worker } = await kilnProfiled(browser, url);
    await handOffToKiln(page, file, 'table');
    const pp = (await targets.page.send('Profiler.stop')).profile as unknown as CpuProfile;
    const wp = (await targets.toWorker<{ profile: CpuProfile }>(worker, 'Profiler.stop')).profile;
    const w = busy(wp, 'readPstats');
    const pg = busy(pp, '');
    return `page busy ${pg.busy.toFixed(0)} worker busy ${w.busy.toFixed(0)} worker readPstats at ${w.firstMark.toFixed(0)}`;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const [a, b, rounds, ...files] = process.argv.slice(2);
  const served = [await serveDirectory(a), await serveDirectory(b)];
  for (let r = 0; r < Number(rounds); r++)
    for (const file of files)
      for (const [i, s] of served.entries()) console.log('AB'[i], basename(file), await once(s.url, file));
  for (const s of served) await s.close();
}
void main();
