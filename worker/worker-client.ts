import * as Comlink from 'comlink';
import type { Progress } from '~/core/formats/open-profile';
import type { Profile, PstatsCalls } from '~/core/model/profile';
import type { CallsResult, ParseResult, WorkerApi } from './worker';
import type { SetInput, SetProgress, SetRead } from '~/core/analysis/profile-set';
import { inBatches } from '~/core/analysis/set-arrival';

const callsOf = (r: CallsResult): Promise<PstatsCalls> =>
  r.ok ? Promise.resolve(r.calls) : Promise.reject(new Error(r.message));

export type Parsed = { ok: true; profile: Profile; calls?: Promise<PstatsCalls> } | { ok: false; message: string };

/** Resolves after the frame that follows the next one, or in a while where frames are not drawn (a hidden page). */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 250);
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        clearTimeout(fallback);
        resolve();
      }),
    );
  });
}

/** How a worker ended: stopped by the page (a cancelled parse) or by itself (a crash, out of memory). */
class WorkerEnded extends Error {
  constructor(
    message: string,
    readonly cancelled: boolean,
  ) {
    super(message);
  }
}

interface Running {
  worker: Worker;
  api: Comlink.Remote<WorkerApi>;
  /**
   * What is waiting on the worker, each rejected with WorkerEnded when it ends so that nothing is
   * left waiting. A set, not one promise raced against every call: a race on a promise that lives
   * as long as the worker would keep each call's result (a whole profile) alive with it.
   */
  waiting: Set<(reason: WorkerEnded) => void>;
  end(reason: WorkerEnded): void;
  /** Whether it started and held its lifeline: only a worker that ran is replaced when it dies. */
  ran: boolean;
}

/**
 * Resolves when the worker's lifeline lock is released, that is when the worker has ended, however
 * it ended; never where the browser has no Web Locks (outside secure contexts).
 */
async function lifelineReleased(api: Comlink.Remote<WorkerApi>, held: () => void): Promise<void> {
  if (!navigator.locks) return new Promise(() => {});
  const name = `kiln-parser-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await api.holdLifeline(name);
  held();
  await navigator.locks.request(name, () => undefined);
}

/** Files of a set handed to the worker in one message. */
const SET_BATCH = 50;

/** Workers that open a set's files beside the one that merges them: at most this many. */
const MAX_HELPERS = 3;
/** A helper takes a while to start: one is worth it for this many files. */
const FILES_PER_HELPER = 16;
/** A helper that has not started by then is not waited for: the set is read without it. */
const HELPER_START_MS = 5000;

const spawn = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

/**
 * The parsing worker. A new one replaces it when a parse is cancelled, and when it dies (a crash,
 * out of memory, or closed) the call it was on ends with a message and a new one is started.
 */
export class ParserWorker {
  private running: Running | null = null;
  /** Parses asked for and not yet answered, and what waits for there to be none. */
  private parses = 0;
  private noParses: (() => void)[] = [];
  /** Workers opening a set's files for the parsing worker, while it reads the set. */
  private helpers = new Set<Worker>();

  private start(): Running {
    if (this.running) return this.running;
    const worker = spawn();
    const api = Comlink.wrap<WorkerApi>(worker);
    const waiting = new Set<(reason: WorkerEnded) => void>();
    const end = (reason: WorkerEnded) => {
      for (const reject of waiting) reject(reason);
      waiting.clear();
    };
    const running: Running = { worker, api, waiting, end, ran: false };
    this.running = running;
    worker.addEventListener('error', (e) => this.died(running, e.message ? `: ${e.message}` : ''));
    // A lifeline that could not be held (the worker ended first) ends the worker all the same.
    const ended = () => this.died(running, ' (perhaps out of memory)');
    lifelineReleased(api, () => (running.ran = true)).then(ended, ended);
    return running;
  }

  private died(running: Running, why: string): void {
    if (this.running !== running) return;
    running.worker.terminate();
    this.running = null;
    const restart = running.ran;
    running.end(
      new WorkerEnded(`the parser stopped unexpectedly${why}${restart ? '; a new one has been started' : ''}`, false),
    );
    if (restart) this.start();
  }

  /** `work`, or a WorkerEnded rejection if `running` ends first. */
  private untilEnded<T>(running: Running, work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      running.waiting.add(reject);
      work.then(resolve, reject).finally(() => running.waiting.delete(reject));
    });
  }

  /** A call that ends with the worker: a death becomes `onDeath(message)`, a cancel rejects. */
  private call<T>(
    request: (api: Comlink.Remote<WorkerApi>) => Promise<T>,
    onDeath: (message: string) => T,
  ): Promise<T> {
    const running = this.start();
    return this.untilEnded(running, request(running.api)).catch((e: unknown) => {
      if (e instanceof WorkerEnded && !e.cancelled) return onDeath(e.message);
      throw e;
    });
  }

  /**
   * Parses a file in the worker; the Blob is handed over by reference, never copied into the page.
   * A profile that comes with its calls pending comes with the promise of them, which rejects if
   * the worker dies first (one stopped for the next file has them read again: `callsOrAgain`).
   */
  async parse(blob: Blob, fileName: string, progress: Progress): Promise<Parsed> {
    const running = this.start();
    this.parses++;
    try {
      const result = await this.call<ParseResult>(
        (api) => api.parse(blob, fileName, Comlink.proxy(progress)),
        (message) => ({ ok: false, message }),
      );
      if (!result.ok) return result;
      const { profile } = result;
      // Marked for measurement (npm run bench): the model has arrived in the page.
      performance.mark('kiln:model-ready');
      if (!profile.callsPending) return { ok: true, profile };
      const { callsId = 0 } = result;
      // Asked for once the page has drawn the profile: reading them takes the processor it needs.
      const calls = afterNextPaint().then((): Promise<CallsResult> =>
        this.running === running
          ? this.untilEnded<CallsResult>(running, running.api.calls(callsId, blob, fileName))
          : Promise.reject(new WorkerEnded('the parse was cancelled', true)),
      );
      return { ok: true, profile, calls: this.callsOrAgain(calls, blob, fileName) };
    } finally {
      if (--this.parses === 0) this.noParses.splice(0).forEach((resume) => resume());
    }
  }

  /** Resolves once no parse is waiting for its result. */
  private whenNoParse(): Promise<void> {
    return this.parses === 0 ? Promise.resolve() : new Promise((resolve) => this.noParses.push(resolve));
  }

  /**
   * The calls `result` brings. A worker stopped for the next file takes the calls it was reading
   * with it: a new one reads them again from the file (for the library), once the next file is
   * open rather than beside it.
   */
  private callsOrAgain(result: Promise<CallsResult>, blob: Blob, fileName: string): Promise<PstatsCalls> {
    return result.then(callsOf, async (e: unknown) => {
      if (!(e instanceof WorkerEnded && e.cancelled)) throw e;
      await this.whenNoParse();
      const again = this.call<CallsResult>(
        (api) => api.calls(0, blob, fileName),
        (message) => ({ ok: false, message }),
      );
      return this.callsOrAgain(again, blob, fileName);
    });
  }

  /**
   * Reads a set of files in the worker (see `readSet`), handed over in batches so that it starts
   * on the first while the page hands over the rest; a dead worker's message is the set's merge error.
   */
  openSet(files: SetInput[], mergedName: string, progress: SetProgress): Promise<SetRead> {
    const [first = [], ...rest] = inBatches(files, SET_BATCH);
    return this.withHelpers(files.length, () =>
      this.call(
        (api) => {
          const reading = api.openSet(files.length, first, mergedName, Comlink.proxy(progress));
          for (const batch of rest) api.addSetFiles(batch).catch(() => undefined);
          return reading;
        },
        (message) => ({ rows: files.map(() => ({ ok: false as const, message })), merged: null, mergeError: message }),
      ),
    );
  }

  /** The files merged in the worker into one profile, or why they cannot be. */
  merge(files: SetInput[], mergedName: string, progress: SetProgress): Promise<Parsed> {
    return this.withHelpers(files.length, () =>
      this.call<Parsed>(
        (api) => api.merge(files, mergedName, Comlink.proxy(progress)),
        (message) => ({ ok: false, message }),
      ),
    );
  }

  /**
   * Runs work on a set of `files` in the parsing worker, with helper workers that open files for
   * it: one for each core beyond the first that the set is large enough to use. The work does not
   * wait for them: each joins it once started. A helper that dies ends the parsing worker's call as
   * its own death would; all are ended with the work.
   */
  private async withHelpers<T>(files: number, work: () => Promise<T>): Promise<T> {
    const count = Math.min(MAX_HELPERS, (navigator.hardwareConcurrency || 1) - 1, Math.floor(files / FILES_PER_HELPER));
    const running = this.start();
    let working = true;
    const joined: Worker[] = [];
    const end = (worker: Worker) => {
      this.helpers.delete(worker);
      worker.terminate();
    };
    for (let i = 0; i < count; i++)
      void this.startHelper(running).then((helper) => {
        if (!helper) return;
        if (!working || this.running !== running) return end(helper.worker);
        joined.push(helper.worker);
        running.api.help(Comlink.transfer(helper.port, [helper.port])).catch(() => undefined);
      });
    try {
      return await work();
    } finally {
      working = false;
      joined.forEach(end);
    }
  }

  /**
   * A helper worker once it holds its lifeline, so that its end, however it comes, ends the work
   * it is part of; null (and no helper) if it has not started within HELPER_START_MS.
   */
  private startHelper(running: Running): Promise<{ worker: Worker; port: MessagePort } | null> {
    const worker = spawn();
    this.helpers.add(worker);
    const api = Comlink.wrap<WorkerApi>(worker);
    worker.addEventListener('error', (e) => this.died(running, e.message ? `: ${e.message}` : ''));
    return new Promise((resolve) => {
      const late = setTimeout(() => {
        this.helpers.delete(worker);
        worker.terminate();
        resolve(null);
      }, HELPER_START_MS);
      const ended = () => this.helpers.has(worker) && this.died(running, ' (a helper, perhaps out of memory)');
      lifelineReleased(api, () => {
        clearTimeout(late);
        const channel = new MessageChannel();
        void api.serve(Comlink.transfer(channel.port1, [channel.port1]));
        resolve({ worker, port: channel.port2 });
      }).then(ended, ended);
    });
  }

  /** The SHA-256 of a file's bytes, computed in the worker (see `sha256Hex`); null when the worker cannot. */
  hash(blob: Blob): Promise<string | null> {
    return this.call(
      (api) => api.hash(blob),
      () => null,
    ).catch(() => null);
  }

  /** Warms the worker's readers on `blob` (see `warmUp`); nothing if it cannot. */
  warmUp(blob: Blob, reads: number): Promise<void> {
    return this.call(
      (api) => api.warmUp(blob, reads),
      () => undefined,
    ).catch(() => undefined);
  }

  /** Stops whatever the worker is doing; its pending calls reject, and the next call starts a fresh one. */
  stop(): void {
    for (const worker of this.helpers) worker.terminate();
    this.helpers.clear();
    const running = this.running;
    if (!running) return;
    this.running = null;
    running.worker.terminate();
    running.end(new WorkerEnded('the parse was cancelled', true));
  }
}
