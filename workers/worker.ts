import * as Comlink from 'comlink';
import { ProfileError, profileBuffers, treeBuffers, type EstimatedTree, type Profile, type PstatsTable } from './model';
import { columnsForTree, estimateCallTree } from './pstats-tree';
import { sha256Hex } from './digest';
import { holdLifeline } from './lifeline';
import { openProfile, type Progress } from './open-profile';
import { packStrings, type PackedStrings } from './string-pack';

/** A profile as posted to the page: its string table packed (see `packStrings`). */
export type PostedProfile = Omit<Profile, 'strings'> & { packedStrings: PackedStrings };
export type ParseResult = { ok: true; profile: PostedProfile } | { ok: false; message: string };
export type TreeResult = { ok: true; estimated: EstimatedTree } | { ok: false; message: string };

/**
 * What the page may ask of the worker. A pstats profile is handed over with its tree pending, so
 * that its table is shown sooner; the tree follows through `onTree`.
 */
const api = {
  async parse(blob: Blob, fileName: string, progress?: Progress, onTree?: (result: TreeResult) => void): Promise<ParseResult> {
    try {
      const profile = await openProfile(blob, fileName, progress, { treeLater: onTree !== undefined });
      if (profile.treePending && onTree) {
        // The profile's buffers go to the page: the walk keeps a copy of the columns it reads.
        const stats = columnsForTree(profile.pstats!), frameCount = profile.frames.count;
        setTimeout(() => onTree(estimate(stats, frameCount)));
      }
      const { strings, ...rest } = profile;
      const posted: PostedProfile = { ...rest, packedStrings: packStrings(strings) };
      return Comlink.transfer({ ok: true, profile: posted }, [...profileBuffers(profile), posted.packedStrings.lengths.buffer as ArrayBuffer]);
    } catch (e) {
      if (e instanceof ProfileError) return { ok: false, message: e.message };
      if (e instanceof RangeError) return { ok: false, message: `the file is too large to read here (${e.message})` };
      throw e;
    }
  },

  /** The estimated tree of a pstats profile whose worker was stopped before it was done. */
  estimateTree: (stats: PstatsTable, frameCount: number): TreeResult => estimate(stats, frameCount),

  hash: sha256Hex,

  holdLifeline,
};

function estimate(stats: PstatsTable, frameCount: number): TreeResult {
  try {
    const estimated = estimateCallTree(stats, frameCount);
    return Comlink.transfer({ ok: true, estimated }, treeBuffers(estimated.tree));
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

export type WorkerApi = typeof api;

Comlink.expose(api);
