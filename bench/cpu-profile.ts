/**
 * Where Kiln spends the time of opening a file: Chromium's sampling profiler (CDP `Profiler`) on
 * the page and on the parsing worker, from hand-off to first paint. Writes `.cpuprofile` files
 * (open them in the DevTools Performance panel) and returns the heaviest functions by self time.
 */
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { basename, resolve } from 'node:path';
import { launch, PageTargets } from './browser';
import { outDir } from './inputs';
import { handOffToKiln, kilnWithSample, type KilnFirstView } from './viewers';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  thread: 'page' | 'worker';
  name: string;
  ms: number;
  share: number;
}

const SAMPLING_INTERVAL_US = 200;

function hottest(profile: CpuProfile, thread: HotFunction['thread'], count: number): HotFunction[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = byId.get(profile.samples[i])!.callFrame;
    if (frame.functionName === '(idle)') continue;
    const where = frame.url ? ` ${basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    const us = profile.timeDeltas[i + 1] ?? 0;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ thread, name, ms: us / 1000, share: us / total }));
}

/** Kiln with its sample open, Chromium's sampling profiler started on the page and on its worker. */
export async function kilnProfiled(
  browser: Browser,
  appUrl: string,
): Promise<{ page: Page; targets: PageTargets; worker: PageTargets['workers'][number] }> {
  const page = await kilnWithSample(browser, appUrl);
  const targets = await PageTargets.attach(page);
  await targets.waitForWorker();
  const [worker] = targets.workers;
  for (const send of [
    (m: string, p = {}) => targets.page.send(m as 'Profiler.enable', p),
    (m: string, p = {}) => targets.toWorker(worker, m, p),
  ]) {
    await send('Profiler.enable');
    await send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await send('Profiler.start');
  }
  return { page, targets, worker };
}

/** Profiles one open of `file` in Kiln (to its `first` view) and lists the heaviest functions of each thread. */
export async function profileKiln(
  appUrl: string,
  file: string,
  first: KilnFirstView,
  count = 15,
): Promise<HotFunction[]> {
  const browser = await launch();
  try {
    const { page, targets, worker } = await kilnProfiled(browser, appUrl);
    await handOffToKiln(page, file, first);
    const pageProfile = (await targets.page.send('Profiler.stop')).profile as unknown as CpuProfile;
    const workerProfile = (await targets.toWorker<{ profile: CpuProfile }>(worker, 'Profiler.stop')).profile;
    const stem = resolve(outDir, `${basename(file)}.${first}`);
    writeFileSync(`${stem}.page.cpuprofile`, JSON.stringify(pageProfile));
    writeFileSync(`${stem}.worker.cpuprofile`, JSON.stringify(workerProfile));
    return [...hottest(workerProfile, 'worker', count), ...hottest(pageProfile, 'page', count)];
  } finally {
    await browser.close();
  }
}
