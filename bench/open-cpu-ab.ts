/**
 * Two builds of Kiln opened alternately at one view (`table` or `flame`), on the same files, each
 * `PAUSE_MS` after the page is ready to measure (0 as the bench; a user opens a file seconds after
 * the page): the model's and the view's times from the hand-off, and the thread time of the
 * renderer's tasks from a Chromium trace of the open (page thread, worker thread, thread pool:
 * where V8 compiles and the file is read). CPU time moves less than wall time with the load.
 * `npx tsx bench/open-cpu-ab.ts DIST_A DIST_B ROUNDS PAUSE_MS table|flame FILE...`
 */
import { basename } from 'node:path';
import { launch } from './browser';
import { readProbe } from './probe';
import { serveDirectory } from './serve';
import type { TraceEvent } from './trace-summary';
import { handOffToKiln, kilnReadyToMeasure, type KilnFirstView } from './viewers';

async function once(url: string, file: string, pauseMs: number, first: KilnFirstView): Promise<string> {
  const browser = await launch();
  try {
    const { page } = await kilnReadyToMeasure(browser, url);
    await new Promise((r) => setTimeout(r, pauseMs));
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
    await handOffToKiln(page, file, first);
    const json = (await browser.stopTracing()).toString();
    const probe = await page.evaluate(readProbe, ['kiln:model-ready', 'kiln:table-painted']);
    const since = (t: number) => (t >= 0 ? (t - probe.handoff).toFixed(0) : '-');
    const events = (JSON.parse(json) as { traceEvents: TraceEvent[] }).traceEvents;
    const names = new Map<string, string>();
    for (const e of events)
      if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
    const renderer = events.find((e) => names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain')?.pid;
    const cpu = new Map<string, number>();
    for (const e of events) {
      if (e.ph !== 'X' || e.pid !== renderer || e.tdur === undefined) continue;
      if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'ThreadPool_RunTask') continue;
      const n = (names.get(`${e.pid}:${e.tid}`) ?? '').split(' ')[0];
      cpu.set(n, (cpu.get(n) ?? 0) + e.tdur / 1000);
    }
    const main = (cpu.get('CrRendererMain') ?? 0).toFixed(0);
    const worker = (cpu.get('DedicatedWorker') ?? 0).toFixed(0);
    const pool = (cpu.get('ThreadPoolForegroundWorker') ?? 0).toFixed(0);
    return `model ${since(probe.marks['kiln:model-ready'])} ${first} ${since(first === 'table' ? probe.marks['kiln:table-painted'] : probe.painted)} cpu page ${main} worker ${worker} pool ${pool}`;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const [a, b, rounds, pause, first, ...files] = process.argv.slice(2);
  const served = [await serveDirectory(a), await serveDirectory(b)];
  for (let r = 0; r < Number(rounds); r++)
    for (const file of files)
      for (const [i, s] of served.entries())
        console.log('AB'[i], basename(file), await once(s.url, file, Number(pause), first as KilnFirstView));
  for (const s of served) await s.close();
}
void main();
