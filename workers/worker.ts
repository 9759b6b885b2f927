import * as Comlink from 'comlink';
import { ProfileError, callsBuffers, profileBuffers, type PackedProfile, type PstatsCalls } from './model';
import { sha256Hex } from './digest';
import { holdLifeline } from './lifeline';
import { readProfile, type Progress } from './open-profile';
import type { PstatsReading } from './parsers/pstats';
import { packStrings, packedBuffers } from './string-pack';

export type ParseResult = { ok: true; profile: PackedProfile } | { ok: false; message: string };
export type CallsResult = { ok: true; calls: PstatsCalls } | { ok: false; message: string };

/**
 * What the page may ask of the worker. A pstats profile is handed over with its calls pending, so
 * that its table is shown sooner; they follow through `onCalls`.
 */
const api = {
  async parse(blob: Blob, fileName: string, progress: Progress, onCalls: (result: CallsResult) => void): Promise<ParseResult> {
    try {
      const opened = await readProfile(blob, fileName, progress);
      let posted: PackedProfile;
      if ('calls' in opened) {
        posted = opened.profile;
        setTimeout(() => onCalls(readCalls(opened)));
      } else {
        const { strings, ...rest } = opened;
        posted = { ...rest, packedStrings: packStrings(strings) };
      }
      return Comlink.transfer({ ok: true, profile: posted }, [...profileBuffers(posted), ...packedBuffers(posted.packedStrings)]);
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  },

  /** The calls of a pstats profile whose worker was stopped before it had read them. */
  async calls(blob: Blob, fileName: string): Promise<CallsResult> {
    try {
      const opened = await readProfile(blob, fileName);
      if (!('calls' in opened)) throw new ProfileError('the file is no longer a pstats profile');
      return readCalls(opened);
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  },

  hash: sha256Hex,

  holdLifeline,
};

function readCalls(reading: PstatsReading): CallsResult {
  try {
    const calls = reading.calls();
    return Comlink.transfer({ ok: true, calls }, callsBuffers(calls));
  } catch (e) {
    // Nothing else would tell the page: the profile would wait for its calls for ever.
    return { ok: false, message: e instanceof ProfileError || e instanceof RangeError ? messageOf(e) : String(e) };
  }
}

/** What to tell the user of a file that could not be read; anything else is a bug, and is thrown. */
function messageOf(e: unknown): string {
  if (e instanceof ProfileError) return e.message;
  if (e instanceof RangeError) return `the file is too large to read here (${e.message})`;
  throw e;
}

export type WorkerApi = typeof api;

Comlink.expose(api);
