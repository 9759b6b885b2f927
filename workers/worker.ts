import * as Comlink from 'comlink';
import { ProfileError, profileBuffers, type Profile } from './model';
import { holdLifeline } from './lifeline';
import { openProfile, type Progress } from './open-profile';

export type ParseResult = { ok: true; profile: Profile } | { ok: false; message: string };

/** Web Crypto digests a file in one piece, so past this size a file is not hashed (nor kept in the library). */
const HASH_LIMIT = 512 * 1024 * 1024;

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

  /** The SHA-256 of the bytes as hex; null where it cannot be computed (too large, or no Web Crypto outside HTTPS). */
  async hash(blob: Blob): Promise<string | null> {
    if (blob.size > HASH_LIMIT || !crypto.subtle) return null;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  },

  holdLifeline,
};

export type WorkerApi = typeof api;

Comlink.expose(api);
