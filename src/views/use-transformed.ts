import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Profile } from '~/core/model/profile';
import { libraryFrames, type Transform } from '~/core/analysis/transforms/transforms';
import { transformText } from '~/core/analysis/transforms/transform-text';
import { transformWorker, type TransformResult } from '~/worker/transform-client';
import { TransformHost } from '~/worker/transform-host';
import { rememberFunctionTree } from '~/core/analysis/function-tree';
import { quickCallTree, stackedCallTree, wholeWeights, type QuickCallTree } from '~/core/analysis/quick-call-tree';
import { withWholeNumbers } from '~/core/analysis/whole-numbers';
import { quickInvertedTree } from '~/core/analysis/quick-inverted-tree';

interface Shown {
  source: Profile;
  baseline: Profile | null;
  key: string;
  result: TransformResult;
}

export interface Transformed {
  profile: Profile;
  /** The baseline transformed the same way, when comparing. */
  baseline: Profile | null;
  /** Whether a newer list of transforms is being applied: what is shown is the one before. */
  pending: boolean;
  /**
   * The call tree of the newest list, made on the page as its rows open (or as the flame graph's
   * first frame reads it), while the worker makes the whole result (and kept after, so the rows
   * opened stay): null where only the worker's gives it.
   */
  quick: QuickCallTree | null;
  /**
   * The inverted call tree of the newest list while the worker makes the whole result, made when
   * first asked for (the call tree shown inverted): null where only the worker's gives it.
   */
  quickInverted(): QuickCallTree | null;
}

/**
 * The profile (and the baseline) with the transforms applied, in the transform worker: until its
 * answer comes, the result of the transforms before is shown, or the profile as read. Where the
 * worker fails, the page applies them itself.
 */
export function useTransformed(
  source: Profile,
  baseline: Profile | null,
  list: Transform[],
  /** Whether the call tree is shown: its tree by function is made in the worker too. */
  byFunction: boolean,
  /** Whether a view that draws from the quick tree first is shown: the call tree, the flame graph, the icicle. */
  quickShown: boolean,
): Transformed {
  const key = list.map(transformText).join('\n');
  const [shown, setShown] = useState<Shown | null>(null);
  const wanted = list.length > 0 && !source.callsPending;
  const current = shown?.source === source && shown.baseline === baseline ? shown : null;
  const done = current?.key === key;
  const quick = useQuick(source, baseline, list, key, quickShown && wanted, current);
  const invertedMade = useRef<{ source: Profile; key: string; quick: QuickCallTree | null } | null>(null);
  const quickInverted = () => {
    if (!wanted || baseline || done) return null;
    const made = invertedMade.current;
    if (made?.source === source && made.key === key) return made.quick;
    const from = fromProfile(source, list, current);
    const inverted = from && quickInvertedTree(from, list[list.length - 1]);
    invertedMade.current = { source, key, quick: inverted };
    return inverted;
  };
  // Once the worker's result comes, a quick tree whose sums may differ from it in the last bits
  // shows its numbers, on the same rows.
  const whole = current?.key === key ? current.result.profile : null;
  const exactly = useMemo(
    () => (quick && !quick.exact && whole ? withWholeNumbers(quick, whole) : quick),
    [quick, whole],
  );
  useEffect(
    () =>
      whenIdle(() => {
        wholeWeights(source.tree);
        libraryFrames(source);
      }),
    [source],
  );
  // The worker started and the profile copied to it (tens of ms for a million nodes) in a moment the
  // page is idle, rather than in the frame of the first transform.
  useEffect(() => (source.callsPending ? undefined : whenIdle(() => void transformWorker().prepare(source))), [source]);

  useEffect(() => {
    // With no transforms the profile as read is shown: it is the view before the next ones.
    if (!wanted) setShown(null);
    if (!wanted || done) return;
    let live = true;
    const show = (result: TransformResult) => {
      if (!live) return;
      if (result.byFunction) rememberFunctionTree(result.profile.tree, result.byFunction);
      setShown({ source, baseline, key, result });
    };
    const ask = () =>
      transformWorker()
        .apply(source, baseline, list, byFunction)
        .then(
          (result) => result && show(result),
          () => show(inPage(source, baseline, list)),
        );
    // With a quick tree the call tree is drawn first: the profile is sent to the worker (copied, the
    // first time) after that frame instead of before it.
    let frame = 0;
    let task = 0;
    if (quick) frame = requestAnimationFrame(() => (task = window.setTimeout(ask)));
    else void ask();
    return () => {
      live = false;
      cancelAnimationFrame(frame);
      clearTimeout(task);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the list is keyed by its text; the view asked for at first
  }, [source, baseline, key, wanted, done]);

  if (!wanted) return { profile: source, baseline, pending: false, quick: null, quickInverted };
  if (!current) return { profile: source, baseline, pending: true, quick, quickInverted };
  const { profile } = current.result;
  return {
    profile,
    baseline: current.result.baseline ?? baseline,
    pending: !done,
    quick: done ? exactly : quick,
    quickInverted,
  };
}

/**
 * The quick call tree of the list's last transform, applied to what the transforms before it
 * left: the profile as read, the result shown, or the quick tree of the transforms before when their
 * whole result has not come (for the kinds that stack so). Made once per list, kept while the list stays.
 */
function useQuick(
  source: Profile,
  baseline: Profile | null,
  list: Transform[],
  key: string,
  asked: boolean,
  current: Shown | null,
): QuickCallTree | null {
  const made = useRef<{ source: Profile; key: string; quick: QuickCallTree | null } | null>(null);
  if (!asked || baseline) return null;
  if (made.current?.source === source && made.current.key === key) return made.current.quick;
  const before = list.slice(0, -1).map(transformText).join('\n');
  const from = fromProfile(source, list, current);
  const below = made.current?.source === source && made.current.key === before ? made.current.quick : null;
  if (!from && !below) return null;
  const last = list[list.length - 1];
  const quick = from ? quickCallTree(from, last) : stackedCallTree(below!, last);
  made.current = { source, key, quick };
  return quick;
}

/** What the list's last transform applies to, where it is at hand: the profile as read, or the result shown of the transforms before. */
function fromProfile(source: Profile, list: Transform[], current: Shown | null): Profile | null {
  if (list.length === 1) return source;
  return current?.key === list.slice(0, -1).map(transformText).join('\n') ? current.result.profile : null;
}

/** Runs `work` when the page is idle (soon after, where it cannot tell); the returned function cancels it. */
function whenIdle(work: () => void): () => void {
  if (typeof requestIdleCallback !== 'function') {
    const later = setTimeout(work, 200);
    return () => clearTimeout(later);
  }
  const idle = requestIdleCallback(work);
  return () => cancelIdleCallback(idle);
}

function inPage(source: Profile, baseline: Profile | null, list: Transform[]): TransformResult {
  const host = new TransformHost();
  host.keep(0, source);
  if (baseline) host.keep(1, baseline);
  const { profile, baseline: transformed } = host.apply(0, baseline ? 1 : null, list);
  return { profile, ...(transformed && { baseline: transformed }) };
}
