import { readFileSync } from 'node:fs';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import config from '~/playwright.config';
import { installProbe } from './probe';

/** The same Chromium and flags as the browser tests. */
export async function launch(extraFlags: string[] = []): Promise<Browser> {
  const options = config.use?.launchOptions ?? {};
  return chromium.launch({ ...options, args: [...(options.args ?? []), ...extraFlags] });
}

/** A fresh page with the probe installed, at a fixed window size so both viewers draw the same area. */
export async function probedPage(browser: Browser): Promise<Page> {
  // No service worker: installing the offline cache on first visit is not part of opening a file.
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  // Functions handed to the page are compiled by tsx, which may wrap them in its `__name` helper.
  await page.addInitScript({ content: `globalThis.__name ??= (f) => f; (${installProbe.toString()})();` });
  // A loaded machine can take long to start a page; a hang still fails the run.
  page.setDefaultTimeout(120_000);
  return page;
}

/**
 * Compiles the script Playwright injects to wait in a page, so that doing it does not fall in
 * the time measured after the hand-off.
 */
export async function warmUpWaiting(page: Page): Promise<void> {
  await page.waitForFunction(() => true, undefined, { polling: 50 });
}

type Reply = { id: number; result?: unknown; error?: { message: string } };

/**
 * CDP sessions of a page and of its dedicated workers. Worker sessions use the nested
 * (`sendMessageToTarget`) protocol because a client session only sees its own flat sessions.
 */
export class PageTargets {
  private readonly workerSessions = new Set<string>();
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private nextId = 1;

  private constructor(readonly page: CDPSession) {}

  static async attach(page: Page): Promise<PageTargets> {
    const session = await page.context().newCDPSession(page);
    const targets = new PageTargets(session);
    session.on('Target.attachedToTarget', (e) => {
      if (e.targetInfo.type === 'worker') targets.workerSessions.add(e.sessionId);
    });
    session.on('Target.detachedFromTarget', (e) => targets.workerSessions.delete(e.sessionId ?? ''));
    session.on('Target.receivedMessageFromTarget', (e) => {
      const reply = JSON.parse(e.message) as Reply;
      targets.pending.get(reply.id)?.(reply);
      targets.pending.delete(reply.id);
    });
    await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return targets;
  }

  get workers(): string[] {
    return [...this.workerSessions];
  }

  async waitForWorker(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.workerSessions.size === 0) {
      if (Date.now() > end) throw new Error('no worker attached');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends a command to a worker; it is answered when the worker's thread is free. */
  toWorker<T>(sessionId: string, method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, (reply) =>
        reply.error ? reject(new Error(reply.error.message)) : resolve(reply.result as T),
      );
      this.page
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
        .catch(reject);
    });
  }

  /** A full garbage collection in the page and its workers, so that every run starts from the same heap. */
  async collectGarbage(): Promise<void> {
    await this.page.send('HeapProfiler.collectGarbage');
    for (const w of this.workers) await this.toWorker(w, 'HeapProfiler.collectGarbage');
  }

  /** Used JS heap now, in the page and summed over its workers. */
  async heapNow(): Promise<{ page: number; worker: number }> {
    const page = (await this.page.send('Runtime.getHeapUsage')).usedSize;
    let worker = 0;
    for (const w of this.workers)
      worker += (await this.toWorker<{ usedSize: number }>(w, 'Runtime.getHeapUsage')).usedSize;
    return { page, worker };
  }
}

export interface MemoryPeaks {
  /** Largest used JS heap of the page's main thread. */
  pageHeap: number;
  /** Largest used JS heap of each worker thread, summed. */
  workerHeap: number;
  /** Peak resident memory of the renderer process (VmHWM), all threads, array buffers and canvases included. */
  rendererRss: number;
}

interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  args?: { name?: string; usedHeapSizeBefore?: number; usedHeapSizeAfter?: number };
}

/**
 * Traces `run` and returns its memory peaks. The JS heap peak of a thread is the largest used size
 * V8 reports at the start of a garbage collection on it, or at the end: the heap only shrinks in a
 * collection, so its peaks are just before one. Read from the trace rather than polled, because a
 * busy thread answers no CDP request until its task ends.
 */
export async function measureMemory<T>(
  browser: Browser,
  page: Page,
  targets: PageTargets,
  run: () => Promise<T>,
): Promise<{ result: T; memory: MemoryPeaks }> {
  await browser.startTracing(page, { categories: ['-*', 'devtools.timeline'] });
  let result: T;
  try {
    result = await run();
  } catch (e) {
    await browser.stopTracing().catch(() => undefined);
    throw e;
  }
  const trace = await browser.stopTracing();
  const end = await targets.heapNow();
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const threadName = new Map<string, string>();
  let rendererPid = -1;
  for (const e of events) {
    if (e.name !== 'thread_name') continue;
    threadName.set(`${e.pid}/${e.tid}`, e.args?.name ?? '');
    if (e.args?.name === 'CrRendererMain') rendererPid = e.pid;
  }
  const peaks = new Map<string, number>();
  for (const e of events) {
    if ((e.name === 'MinorGC' || e.name === 'MajorGC') && e.pid === rendererPid && e.args?.usedHeapSizeBefore) {
      const key = `${e.pid}/${e.tid}`;
      peaks.set(key, Math.max(peaks.get(key) ?? 0, e.args.usedHeapSizeBefore));
    }
  }
  let pageHeap = end.page,
    workerHeap = 0;
  for (const [key, peak] of peaks) {
    const name = threadName.get(key) ?? '';
    if (name === 'CrRendererMain') pageHeap = Math.max(pageHeap, peak);
    else if (name.startsWith('DedicatedWorker')) workerHeap += peak;
  }
  workerHeap = Math.max(workerHeap, end.worker);
  return { result: result!, memory: { pageHeap, workerHeap, rendererRss: peakRss(rendererPid) } };
}

function peakRss(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}
