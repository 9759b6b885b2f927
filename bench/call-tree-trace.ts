/**
 * Where each slow frame of the call tree's scripted interaction went: runs the interaction bench's
 * 300 frames under a Chromium trace, cuts the renderer's main thread at each animation frame, and
 * prints, for the frames longer than 16 ms, the main thread's self time by event (script, style,
 * layout, paint…) with the step the script took in that frame. A scroll's rows are drawn by its
 * scroll event, which comes after the frame that scrolled: they count in the frame after it.
 * `npx tsx bench/call-tree-trace.ts DIST`.
 */
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { launch } from './browser';
import { makeInputs } from './inputs';
import { callTreeOf, scriptedTree } from './interaction';
import { serveDirectory } from './serve';
import { summarizeTrace, type TraceEvent } from './trace-summary';

const FRAMES = 300;
const SLOW_MS = 16;

/** The step `scriptedTree` takes in frame `i`. */
const stepOf = (i: number) =>
  i === 0 ? 'open hottest (*)' : i % 4 === 3 ? 'scroll a screen' : i % 2 ? 'open (→)' : 'up (↑)';

/** Self time (µs) of each complete event on one thread: its duration less its direct children's. */
function selfTimes(events: TraceEvent[]): { e: TraceEvent; self: number }[] {
  const sorted = events
    .filter((e) => e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const out: { e: TraceEvent; self: number }[] = [];
  const open: { e: TraceEvent; self: number }[] = [];
  for (const e of sorted) {
    while (open.length && open[open.length - 1].e.ts + open[open.length - 1].e.dur! <= e.ts) open.pop();
    const entry = { e, self: e.dur! };
    if (open.length) open[open.length - 1].self -= e.dur!;
    open.push(entry);
    out.push(entry);
  }
  return out;
}

const dir = resolve(process.argv[2] ?? 'dist');
const file = makeInputs('full', false, 'python3', console.log).interaction.path;
const app = await serveDirectory(dir);
const browser = await launch(['--disable-frame-rate-limit']);
try {
  const { page } = await callTreeOf(browser, app.url, file);
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'disabled-by-default-v8.cpu_profiler',
      'blink.user_timing',
    ],
  });
  const load = loadavg()[0];
  await page.evaluate(() => performance.mark('bench:call-tree-frames'));
  const gaps = await page.evaluate(scriptedTree, FRAMES);
  const json = (await browser.stopTracing()).toString('utf8');
  const events = (JSON.parse(json) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find(
    (e) =>
      e.name === 'thread_name' &&
      e.args?.name === 'CrRendererMain' &&
      events.some((f) => f.pid === e.pid && f.tid === e.tid && f.name === 'FireAnimationFrame'),
  )!;
  const own = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  // A frame starts at its first animation frame callback: the page's own (preact's effects) run
  // in the same frame as the script's, before the frame is committed.
  const frames: number[] = [];
  let committed = true;
  for (const e of [...own].sort((a, b) => a.ts - b.ts))
    if (e.name === 'Commit') committed = true;
    else if (e.name === 'FireAnimationFrame' && committed) {
      frames.push(e.ts);
      committed = false;
    }
  const timed = selfTimes(own);
  const sorted = [...gaps].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  console.log(
    `${dir} (load ${load.toFixed(1)}): ${gaps.length} gaps, p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms; ${frames.length} animation frames traced`,
  );
  const totals = new Map<string, number>();
  let slow = 0;
  /** Each frame's main thread time: under load, what the page asked of its thread, less the waits. */
  const busyMs: number[] = [];
  for (let k = 0; k + 1 < frames.length; k++) {
    const gap = (frames[k + 1] - frames[k]) / 1000;
    const by = new Map<string, number>();
    for (const { e, self } of timed)
      if (
        e.ts >= frames[k] &&
        e.ts < frames[k + 1] &&
        e.name !== 'RunTask' &&
        e.name !== 'ThreadControllerImpl::RunTask'
      )
        by.set(e.name, (by.get(e.name) ?? 0) + self);
    for (const [name, us] of by) totals.set(name, (totals.get(name) ?? 0) + us);
    const busy = [...by.values()].reduce((a, b) => a + b, 0) / 1000;
    busyMs.push(busy);
    if (gap <= SLOW_MS) continue;
    slow++;
    const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 6);
    console.log(
      `frame ${k} (${stepOf(k)}): ${gap.toFixed(1)} ms, main thread ${busy.toFixed(1)} ms: ${top.map(([n, us]) => `${n} ${(us / 1000).toFixed(1)}`).join(', ')}`,
    );
  }
  const busySorted = [...busyMs].sort((a, b) => a - b);
  const busyAt = (q: number) => busySorted[Math.min(busySorted.length - 1, Math.floor(q * busySorted.length))];
  console.log(
    `main thread time per frame: p50 ${busyAt(0.5).toFixed(1)} ms, p95 ${busyAt(0.95).toFixed(1)} ms; frames over ${SLOW_MS} ms of it: ${busyMs.filter((b) => b > SLOW_MS).length}`,
  );
  console.log(`${slow} frames over ${SLOW_MS} ms; main thread self time per frame over all frames:`);
  for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 14))
    console.log(`  ${(us / 1000 / (frames.length - 1)).toFixed(2).padStart(6)} ms  ${name}`);
  const window = gaps.reduce((a, b) => a + b, 0);
  const summary = summarizeTrace(json, 'bench:call-tree-frames', window);
  console.log(summary.slice(summary.indexOf('self time by function')));
} finally {
  await browser.close();
  await app.close();
}
