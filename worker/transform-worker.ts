import * as Comlink from 'comlink';
import type { Profile } from '~/core/model/profile';
import type { Transform } from '~/core/analysis/transforms/transforms';
import type { FunctionTree } from '~/core/analysis/function-tree';
import type { TreeDiff } from '~/core/analysis/tree-diff';
import type { GroupSizes } from '~/core/analysis/per-profile';
import { TransformHost } from './transform-host';

export type TransformReply =
  | { ok: true; profile: Profile; baseline?: Profile; byFunction?: FunctionTree }
  | { ok: false; superseded: true }
  | { ok: false; superseded: false; message: string };

export type DiffReply =
  { ok: true; diff: TreeDiff } | { ok: false; superseded: true } | { ok: false; superseded: false; message: string };

const host = new TransformHost();
/** The newest request received: one that arrives while an older waits supersedes it. */
let newest = 0;
/** The same for diffs, which supersede only diffs. */
let newestDiff = 0;

/** Resolves in a later task, once the messages already queued for the worker have been received. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The thread that applies transforms, apart from the parser's so that neither waits for the other.
 * The page sends a profile once (`keep`), then asks for transforms, or a diff of two trees, by its id.
 */
const api = {
  keep(id: number, profile: Profile): void {
    host.keep(id, profile);
  },

  forget(id: number): void {
    host.forget(id);
  },

  async transform(
    request: number,
    shown: number,
    baseline: number | null,
    list: Transform[],
    byFunction: boolean,
  ): Promise<TransformReply> {
    newest = Math.max(newest, request);
    await nextTask();
    if (request !== newest) return { ok: false, superseded: true };
    try {
      const { buffers, ...result } = host.apply(shown, baseline, list, byFunction);
      return Comlink.transfer({ ok: true, ...result }, buffers);
    } catch (e) {
      return { ok: false, superseded: false, message: e instanceof Error ? e.message : String(e) };
    }
  },

  async diff(
    request: number,
    shown: number,
    baseline: number,
    asShares: boolean,
    groups: GroupSizes | undefined,
  ): Promise<DiffReply> {
    newestDiff = Math.max(newestDiff, request);
    await nextTask();
    if (request !== newestDiff) return { ok: false, superseded: true };
    try {
      const { diff, buffers } = host.diff(shown, baseline, asShares, groups);
      return Comlink.transfer({ ok: true, diff }, buffers);
    } catch (e) {
      return { ok: false, superseded: false, message: e instanceof Error ? e.message : String(e) };
    }
  },
};

export type TransformApi = typeof api;

Comlink.expose(api);
