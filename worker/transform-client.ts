import * as Comlink from 'comlink';
import type { Profile } from '~/core/model/profile';
import type { Transform } from '~/core/analysis/transforms/transforms';
import type { FunctionTree } from '~/core/analysis/function-tree';
import type { TreeDiff } from '~/core/analysis/tree-diff';
import type { GroupSizes } from '~/core/analysis/per-profile';
import type { DiffReply, TransformApi } from './transform-worker';

export interface TransformResult {
  profile: Profile;
  baseline?: Profile;
  byFunction?: FunctionTree;
}

/** Profiles the worker holds at most: the one shown and its baseline, and the two before them. */
const HELD_MAX = 4;

/**
 * The page's side of the transform worker. Each profile is sent once and held there; a request
 * names it. Of the requests in flight only the newest is answered: an older one resolves to null.
 */
export class TransformWorker {
  private worker: Worker | null = null;
  private api: Comlink.Remote<TransformApi> | null = null;
  /** The profiles the worker holds and their ids, the least recently used first. */
  private held = new Map<Profile, number>();
  private nextId = 1;
  private newest = 0;
  private newestDiff = 0;

  private start(): Comlink.Remote<TransformApi> {
    if (this.api) return this.api;
    this.worker = new Worker(new URL('./transform-worker.ts', import.meta.url), { type: 'module' });
    this.worker.addEventListener('error', () => this.stop());
    return (this.api = Comlink.wrap<TransformApi>(this.worker));
  }

  /** Ends the worker (it failed); the next request starts another and sends its profiles again. */
  private stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.held.clear();
  }

  private async idOf(api: Comlink.Remote<TransformApi>, p: Profile, keep: Set<Profile>): Promise<number> {
    let id = this.held.get(p);
    if (id !== undefined) {
      this.held.delete(p);
      this.held.set(p, id);
      return id;
    }
    for (const [old, oldId] of this.held) {
      if (this.held.size < HELD_MAX) break;
      if (keep.has(old)) continue;
      this.held.delete(old);
      void api.forget(oldId);
    }
    id = this.nextId++;
    this.held.set(p, id);
    await api.keep(id, p);
    return id;
  }

  /**
   * Starts the worker and sends it `p`, so that the first transform asked for it does not pay for
   * either: done while the page is idle after a profile opens.
   */
  async prepare(p: Profile): Promise<void> {
    let api: Comlink.Remote<TransformApi> | null = null;
    try {
      api = this.start();
      await this.idOf(api, p, new Set([p]));
    } catch {
      // The first transform starts it again, or applies the transforms on the page.
      if (this.api === api) this.stop();
    }
  }

  /**
   * `list` applied to `shown` and, naming the same functions, to `baseline`, with the result's tree
   * by function if `byFunction`; null when a newer request came.
   */
  async apply(
    shown: Profile,
    baseline: Profile | null,
    list: Transform[],
    byFunction: boolean,
  ): Promise<TransformResult | null> {
    const request = ++this.newest;
    const api = this.start();
    try {
      const keep = new Set(baseline ? [shown, baseline] : [shown]);
      const shownId = await this.idOf(api, shown, keep);
      const baselineId = baseline ? await this.idOf(api, baseline, keep) : null;
      if (request !== this.newest) return null;
      const reply = await api.transform(request, shownId, baselineId, list, byFunction);
      if (request !== this.newest || (!reply.ok && reply.superseded)) return null;
      if (!reply.ok) throw new Error(reply.message);
      return reply;
    } catch (e) {
      if (this.api === api) this.stop();
      throw e;
    }
  }

  /**
   * The tree of `shown` diffed with `baseline`'s (see `diffTrees`); null when a newer diff was
   * asked for. Transforms asked for meanwhile wait for it, and it for them.
   */
  async diff(shown: Profile, baseline: Profile, asShares: boolean, groups?: GroupSizes): Promise<TreeDiff | null> {
    const request = ++this.newestDiff;
    const api = this.start();
    let reply: DiffReply;
    try {
      const keep = new Set([shown, baseline]);
      const shownId = await this.idOf(api, shown, keep);
      const baselineId = await this.idOf(api, baseline, keep);
      if (request !== this.newestDiff) return null;
      reply = await api.diff(request, shownId, baselineId, asShares, groups);
    } catch (e) {
      if (this.api === api) this.stop();
      throw e;
    }
    if (request !== this.newestDiff || (!reply.ok && reply.superseded)) return null;
    // A diff that failed leaves the worker as it was, and the transforms it may be making.
    if (!reply.ok) throw new Error(reply.message);
    return reply.diff;
  }
}

let shared: TransformWorker | null = null;

/** The one transform worker of the page, started at its first request. */
export const transformWorker = (): TransformWorker => (shared ??= new TransformWorker());
