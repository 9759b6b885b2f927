/**
 * Where the time of one measured window went, read from a Chromium trace (devtools timeline events
 * and the V8 sampling profiler's `ProfileChunk`s): per renderer thread, the long tasks and what
 * they held, and the functions with the most self time.
 */

/** A Chromium trace event, with the fields these summaries read. */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event, µs. */
  tdur?: number;
  id?: string;
  args?: {
    name?: string;
    data?: {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
      type?: string;
      functionName?: string;
      url?: string;
    };
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url?: string; lineNumber?: number };
}

const MIN_EVENT_US = 3000;

const shortUrl = (url = '') => url.slice(url.lastIndexOf('/') + 1);

function describe(e: TraceEvent): string {
  const d = e.args?.data;
  if (e.name === 'EventDispatch' && d?.type) return `EventDispatch ${d.type}`;
  if (e.name === 'FunctionCall' && d?.functionName !== undefined)
    return `FunctionCall ${d.functionName || '(anonymous)'} ${shortUrl(d.url)}`;
  return e.name;
}

/** The trace time of a `performance.mark` named `name` on the page, the last one if there are several. */
function markTime(events: TraceEvent[], name: string): number | undefined {
  let at: number | undefined;
  for (const e of events) if (e.name === name && e.cat?.includes('user_timing')) at = e.ts;
  return at;
}

/** The window starts at the page's mark `startMark` (a user timing mark) and lasts `ms`. */
export function summarizeTrace(traceJson: string, startMark: string, ms: number): string {
  const events = (JSON.parse(traceJson) as { traceEvents: TraceEvent[] }).traceEvents;
  const start = markTime(events, startMark);
  if (start === undefined) return `no mark ${startMark} in the trace`;
  const end = start + ms * 1000;
  const threadName = new Map<string, string>();
  for (const e of events) if (e.name === 'thread_name') threadName.set(`${e.pid}/${e.tid}`, e.args?.name ?? '');
  const renderer = events.find((e) => e.name === startMark)!.pid;
  const lines = [`window: ${((end - start) / 1000).toFixed(1)} ms`];
  const threads = [...threadName].filter(
    ([key, name]) =>
      key.startsWith(`${renderer}/`) && (name === 'CrRendererMain' || name.startsWith('DedicatedWorker')),
  );
  for (const [key, name] of threads) {
    const own = events.filter((e) => `${e.pid}/${e.tid}` === key && e.ph === 'X' && e.dur !== undefined);
    const inWindow = own
      .filter((e) => e.ts + e.dur! > start && e.ts < end && e.dur! >= MIN_EVENT_US)
      .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    if (inWindow.length === 0) continue;
    let wall = 0,
      cpu = 0;
    for (const e of own)
      if (e.name === 'RunTask' && e.ts >= start && e.ts < end) {
        wall += e.dur!;
        cpu += e.tdur ?? 0;
      }
    lines.push(
      `\n${name}: tasks begun in the window ${(wall / 1000).toFixed(1)} ms, of which on the CPU ${(cpu / 1000).toFixed(1)} ms`,
    );
    lines.push(`events of ${MIN_EVENT_US / 1000} ms or more (start after the click, duration)`);
    const open: TraceEvent[] = [];
    for (const e of inWindow) {
      while (open.length && open[open.length - 1].ts + open[open.length - 1].dur! <= e.ts) open.pop();
      lines.push(
        `${'  '.repeat(open.length + 1)}${((e.ts - start) / 1000).toFixed(1).padStart(7)} ${(e.dur! / 1000).toFixed(1).padStart(7)} ms  ${describe(e)}`,
      );
      open.push(e);
    }
  }
  lines.push('\nself time by function in the window (V8 sampling profiler):');
  for (const [key, name] of threads) {
    const hot = selfTimes(events, key, start, end);
    if (hot.length === 0) continue;
    lines.push(`  ${name}:`);
    for (const [fn, us] of hot.slice(0, 15)) lines.push(`    ${(us / 1000).toFixed(1).padStart(7)} ms  ${fn}`);
  }
  return lines.join('\n');
}

function selfTimes(events: TraceEvent[], thread: string, start: number, end: number): [string, number][] {
  const nodes = new Map<number, ProfileNode>();
  const self = new Map<string, number>();
  const profiles = new Map<string, number>();
  for (const e of events) {
    if (e.name === 'Profile' && `${e.pid}/${e.tid}` === thread && e.id)
      profiles.set(e.id, (e.args?.data as { startTime?: number } | undefined)?.['startTime'] ?? e.ts);
  }
  for (const [id, profileStart] of profiles) {
    let t = profileStart;
    for (const e of events) {
      if (e.name !== 'ProfileChunk' || e.id !== id) continue;
      for (const n of e.args?.data?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
      const samples = e.args?.data?.cpuProfile?.samples ?? [];
      const deltas = e.args?.data?.timeDeltas ?? [];
      for (let i = 0; i < samples.length; i++) {
        t += deltas[i] ?? 0;
        const next = deltas[i + 1] ?? 0;
        if (t < start || t > end) continue;
        const frame = nodes.get(samples[i])?.callFrame;
        if (!frame || frame.functionName === '(idle)') continue;
        const where = frame.url ? ` ${shortUrl(frame.url)}:${(frame.lineNumber ?? 0) + 1}` : '';
        const fn = `${frame.functionName || '(anonymous)'}${where}`;
        self.set(fn, (self.get(fn) ?? 0) + next);
      }
    }
  }
  return [...self].sort((a, b) => b[1] - a[1]);
}
