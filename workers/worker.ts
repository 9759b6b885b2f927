import * as Comlink from 'comlink';
import { ProfileError, profileBuffers, type Profile } from './model';
import { sha256Hex } from './digest';
import { holdLifeline } from './lifeline';
import { openProfile, type Progress } from './open-profile';

export type ParseResult = { ok: true; profile: Profile } | { ok: false; message: string };

/** What the page may ask of the worker. */
const api = {
  async parse(blob: Blob, fileName: string, progress?: Progress): Promise<ParseResult> {
    try {
      const profile = await openProfile(blob, fileName, progress);
      return Comlink.transfer({ ok: true, profile }, profileBuffers(profile));
    } catch (e) {
      if (e instanceof ProfileError) return { ok: false, message: e.message };
      if (e instanceof RangeError) return { ok: false, message: `the file is too large to read here (${e.message})` };
      throw e;
    }
  },

  hash: sha256Hex,

  holdLifeline,
};

export type WorkerApi = typeof api;

Comlink.expose(api);
