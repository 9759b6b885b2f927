import * as Comlink from 'comlink';
import { ProfileError, callsBuffers, profileBuffers, type Profile, type PstatsCalls } from '~/core/model/profile';
import { sha256Hex } from '~/core/io/digest';
import { holdLifeline } from './lifeline';
import { readProfile, type Progress } from '~/core/formats/open-profile';
import { mergeFiles, readSet, type SetInput, type SetProgress, type SetRead } from '~/core/analysis/profile-set';
import type { PstatsReading } from '~/core/formats/pstats/read-pstats';
import { helperApi, memberPool, type MemberPool } from './member-pool';
import { SetArrival } from '~/core/analysis/set-arrival';
import { messageOf } from './file-message';
import { warmUp } from './warm-up';

/** `callsId`: for a profile with its calls pending, what to ask `calls` for. */
export type ParseResult = { ok: true; profile: Profile; callsId?: number } | { ok: false; message: string };
export type CallsResult = { ok: true; calls: PstatsCalls } | { ok: false; message: string };

/**
 * What the page may ask of the worker. A pstats profile is handed over with its calls pending, so
 * that its table is shown sooner; the page asks for them with `calls` once it has drawn it
 * (reading them at once took the processor the page needed to draw).
 */
const api = {
  async parse(blob: Blob, fileName: string, progress: Progress): Promise<ParseResult> {
    asked++;
    try {
      const opened = await readProfile(blob, fileName, progress);
      let callsId: number | undefined;
      if ('calls' in opened) {
        callsId = nextReading++;
        readings.set(callsId, opened);
      }
      const profile = 'calls' in opened ? opened.profile : opened;
      return Comlink.transfer({ ok: true, profile, callsId }, profileBuffers(profile));
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  },

  /**
   * The calls of the pstats profile `parse` gave `callsId`; when this worker does not hold it
   * (the one that read it was stopped), read from the file again.
   */
  async calls(callsId: number, blob: Blob, fileName: string): Promise<CallsResult> {
    asked++;
    const reading = readings.get(callsId);
    readings.delete(callsId);
    if (reading) return readCalls(reading);
    try {
      const opened = await readProfile(blob, fileName);
      if (!('calls' in opened)) throw new ProfileError('the file is no longer a pstats profile');
      return readCalls(opened);
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  },

  /**
   * Reads a set of `count` files, `first` the first batch of them in add order (see `SetArrival`),
   * the rest handed over with `addSetFiles`: a row for each, and all that can be read merged.
   * Helper workers that open files beside this one, which merges them, join with `help` once they
   * have started.
   */
  async openSet(count: number, first: SetInput[], mergedName: string, progress: SetProgress) {
    asked++;
    const pool = openPool();
    const files = (arrival = new SetArrival(count));
    files.add(first);
    try {
      const read: SetRead = await readSet(files, pool.open, mergedName, throttledSet(progress), pool.ahead, pool.group);
      read.stamps = files.all().map((f) => pool.stamp(f.blob));
      return Comlink.transfer(read, read.merged ? profileBuffers(read.merged) : []);
    } finally {
      closePool(pool);
      if (arrival === files) arrival = null;
    }
  },

  /** The next batch of the set `openSet` is reading. */
  addSetFiles(batch: SetInput[]): void {
    arrival?.add(batch);
  },

  /** The files merged into one profile, or why they cannot be; helpers join as for `openSet`. */
  async merge(files: SetInput[], mergedName: string, progress: SetProgress): Promise<ParseResult> {
    asked++;
    const pool = openPool();
    try {
      const profile = await mergeFiles(files, pool.open, mergedName, throttledSet(progress), pool.ahead, pool.group);
      return Comlink.transfer({ ok: true, profile }, profileBuffers(profile));
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    } finally {
      closePool(pool);
    }
  },

  /** A helper worker (see `serve`), reached through `port`, opens files of the set being read; none is: it is let go. */
  help(port: MessagePort): void {
    if (pool) pool.join(port);
    else port.close();
  },

  /** Opens files of a set for the worker that merges it, which reaches this one through `port`. */
  serve(port: MessagePort): void {
    Comlink.expose(helperApi(), port);
  },

  hash: sha256Hex,

  /** Warms the readers on `blob` (see `warmUp`) until the page asks for something else. */
  warmUp(blob: Blob, reads: number): Promise<void> {
    const before = asked;
    return warmUp(blob, reads, () => asked !== before).catch(() => undefined);
  },

  holdLifeline,
};

/**
 * Each report of a set's progress is a message to the page and a layout and paint there, on a
 * core the parsers need: at most this often, and at the end.
 */
const SET_PROGRESS_MS = 200;

function throttledSet(progress: SetProgress): SetProgress {
  let last = -Infinity;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - last < SET_PROGRESS_MS) return;
    last = now;
    void progress(done, total);
  };
}

/** The files of the set being read, as they come. */
let arrival: SetArrival | null = null;

/** The pool of the set being read, which helpers join. */
let pool: MemberPool | null = null;

function openPool(): MemberPool {
  return (pool = memberPool());
}

function closePool(closing: MemberPool): void {
  if (pool === closing) pool = null;
  closing.close();
}

/** Files, calls and sets asked for: a warm-up stops at the next. */
let asked = 0;

/** pstats profiles handed over with their calls pending, until the page asks for them. */
const readings = new Map<number, PstatsReading>();
let nextReading = 1;

function readCalls(reading: PstatsReading): CallsResult {
  try {
    const calls = reading.calls();
    return Comlink.transfer({ ok: true, calls }, callsBuffers(calls));
  } catch (e) {
    // Nothing else would tell the page: the profile would wait for its calls for ever.
    return { ok: false, message: e instanceof ProfileError || e instanceof RangeError ? messageOf(e) : String(e) };
  }
}

export type WorkerApi = typeof api;

Comlink.expose(api);
