import fc from 'fast-check';
import { SEED_KINDS, loadSeeds, type Seed } from './corpus';
import { caseOf, inputOf } from './mutations';
import { feed, type FuzzInput, type Outcome, type Target } from './targets';

/** The real files a target's inputs are made from: what reaches that entry point in use. */
export function seedsFor(target: Target, maxBytes: number): Seed[] {
  if (target === 'parsePstats' || target === 'readSetMember') return loadSeeds('pstats', maxBytes);
  if (target === 'parseGecko') return loadSeeds('gecko', maxBytes);
  if (target === 'parseTachyonBinary') return loadSeeds('tachyon-binary', maxBytes);
  if (target === 'parseSpeedscope') return loadSeeds('speedscope', maxBytes);
  if (target === 'parseChromeTrace') return loadSeeds('chrome-trace', maxBytes);
  if (target === 'parsePyinstrument') return loadSeeds('pyinstrument', maxBytes);
  if (target === 'parseCallgrindStream') return loadSeeds('callgrind', maxBytes);
  if (target === 'parsePprof') return loadSeeds('pprof', maxBytes);
  if (target === 'parseFlamegraphHtml') return loadSeeds('tachyon-flamegraph', maxBytes);
  if (target === 'parseTachyonJsonl') return loadSeeds('tachyon-jsonl', maxBytes);
  if (target === 'parseMojo') return loadSeeds('austin-mojo', maxBytes);
  if (target === 'openProfile') return SEED_KINDS.flatMap((k) => loadSeeds(k, maxBytes));
  return loadSeeds('stacks', maxBytes);
}

/** Entry points that take bytes as they come from disk, and so also get gzip'd (and damaged gzip) input. */
const readsGzip = (target: Target) =>
  target === 'parseStackStream' || target === 'parseCallgrindStream' || target === 'openProfile';

export interface CaseHooks {
  /** Sees each input before it is fed, so that a parse that never ends can still be told. */
  onInput?(input: FuzzInput): void;
  onOutcome?(outcome: Outcome): void;
}

/**
 * The property every parser keeps: for any mutation of a real file it returns a sound profile or
 * throws a ProfileError with a message, in bounded time and memory.
 */
export function parserProperty(target: Target, seeds: readonly Seed[], hooks: CaseHooks = {}) {
  return fc.asyncProperty(caseOf(seeds.length, readsGzip(target)), async (c) => {
    const input = inputOf(c, seeds);
    hooks.onInput?.(input);
    hooks.onOutcome?.(await feed(target, input));
  });
}
