/**
 * Where the time of opening a folder of pstats files goes in the browser:
 * `npx tsx bench/set-profile.ts [DIST]` (an unminified build, `npx vite build --minify false
 * --outDir DIST`; bench/out/requests-1000 must exist, `npx tsx bench/run.ts --only=set` makes it).
 * One run with a trace: each thread's busy time (its tasks) and CPU time from the hand-off to the
 * list and merge on screen, its busy share per 250 ms, and the heaviest functions by self time of
 * each thread that Chromium's sampling profiler saw (helpers included); the trace goes to
 * bench/out/set.trace.json.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launch } from './browser';
import { outDir } from './inputs';
import { serveDirectory } from './serve';
import { kilnReadyToMeasure } from './viewers';
import { pickSet, requestSetIn } from './profile-set';
import type { TraceEvent } from './trace-summary';

const dist = resolve(process.argv[2] ?? resolve(outDir, 'dist-profile'));
const set = requestSetIn(resolve(outDir, 'requests-1000'));

/**
 * Self time by function of each sampled thread, from the trace's profile chunks (every thread's,
 * workers ended before the trace stops included), within [from, to] in trace microseconds.
 */
function selfTimes(events: TraceEvent[], from: number, to: number): Map<string, Map<string, number>> {
  const threadOf = new Map<string, string>();
  for (const e of events) if (e.name === 'Profile' && e.id) threadOf.set(`${e.pid}/${e.id}`, `${e.pid}/${e.tid}`);
  const names = new Map<string, Map<number, string>>();
  const clock = new Map<string, number>();
  const out = new Map<string, Map<string, number>>();
  for (const e of events) {
    if (e.name === 'Profile' && e.id)
      clock.set(`${e.pid}/${e.id}`, (e.args?.data as { startTime?: number })?.startTime ?? e.ts);
    if (e.name !== 'ProfileChunk' || !e.id) continue;
    const key = `${e.pid}/${e.id}`;
    const thread = threadOf.get(key) ?? key;
    const byId = names.get(key) ?? names.set(key, new Map()).get(key)!;
    const data = e.args?.data ?? {};
    for (const n of data.cpuProfile?.nodes ?? []) {
      const f = n.callFrame;
      const where = f.url ? ` ${f.url.split('/').pop()}:${(f.lineNumber ?? -1) + 1}` : '';
      byId.set(n.id, `${f.functionName || '(anonymous)'}${where}`);
    }
    const self = out.get(thread) ?? out.set(thread, new Map()).get(thread)!;
    const samples = data.cpuProfile?.samples ?? [],
      deltas = data.timeDeltas ?? [];
    let t = clock.get(key) ?? 0;
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0;
      const us = deltas[i + 1] ?? 0;
      const name = byId.get(samples[i]) ?? '?';
      if (t < from || t > to || name.startsWith('(idle)')) continue;
      self.set(name, (self.get(name) ?? 0) + us);
    }
    clock.set(key, t);
  }
  return out;
}

async function traced(appUrl: string): Promise<void> {
  const browser = await launch();
  try {
    const { page } = await kilnReadyToMeasure(browser, appUrl);
    await browser.startTracing(page, {
      categories: ['-*', 'toplevel', 'devtools.timeline', 'blink.user_timing', 'disabled-by-default-v8.cpu_profiler'],
    });
    const { handoff, done } = await pickSet(page, set);
    const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
    const threadName = new Map<string, string>();
    for (const e of events) if (e.name === 'thread_name') threadName.set(`${e.pid}/${e.tid}`, e.args?.name ?? '');
    // The page's clock is the trace's from navigation start; line them up on the change event's task.
    const change = events.find((e) => e.name === 'EventDispatch' && JSON.stringify(e.args).includes('"change"'));
    const wall = done - handoff;
    const from = change ? change.ts : 0;
    const to = from + wall * 1000;
    const busy = new Map<string, number>();
    const cpu = new Map<string, number>();
    const buckets = new Map<string, number[]>();
    const BUCKET = 250_000;
    for (const e of events) {
      if (e.ph !== 'X' || !e.dur || (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask')) continue;
      const start = Math.max(e.ts, from),
        end = Math.min(e.ts + e.dur, to);
      if (end <= start) continue;
      const key = `${threadName.get(`${e.pid}/${e.tid}`) ?? '?'} ${e.pid}/${e.tid}`;
      busy.set(key, (busy.get(key) ?? 0) + (end - start));
      cpu.set(key, (cpu.get(key) ?? 0) + ((e.tdur ?? 0) * (end - start)) / e.dur);
      const b = buckets.get(key) ?? buckets.set(key, []).get(key)!;
      for (let t = start; t < end;) {
        const i = Math.floor((t - from) / BUCKET);
        const next = Math.min(end, from + (i + 1) * BUCKET);
        b[i] = (b[i] ?? 0) + (next - t);
        t = next;
      }
    }
    console.log(`hand-off to list and merge on screen: ${wall.toFixed(0)} ms`);
    for (const [key, us] of [...busy].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
      const shares = (buckets.get(key) ?? []).map((u) => Math.round((100 * (u ?? 0)) / BUCKET));
      const used = (cpu.get(key) ?? 0) / 1000;
      console.log(
        `${key.padEnd(40)} busy ${(us / 1000).toFixed(0).padStart(6)} ms, CPU ${used.toFixed(0).padStart(6)} ms; busy per 250 ms: ${shares.join(' ')}`,
      );
    }
    for (const [thread, self] of selfTimes(events, from, to)) {
      const total = [...self.values()].reduce((a, b) => a + b, 0);
      if (total < 20_000) continue;
      console.log(`\n${threadName.get(thread) ?? '?'} ${thread}: ${(total / 1000).toFixed(0)} ms sampled, not idle`);
      for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
        console.log(
          `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`,
        );
    }
    writeFileSync(resolve(outDir, 'set.trace.json'), JSON.stringify({ traceEvents: events }));
  } finally {
    await browser.close();
  }
}

const app = await serveDirectory(dist);
try {
  await traced(app.url);
} finally {
  await app.close();
}
