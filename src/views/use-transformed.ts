import { useEffect, useState } from 'preact/hooks';
import type { Profile } from '~/core/model/profile';
import type { Transform } from '~/core/analysis/transforms/transforms';
import { transformText } from '~/core/analysis/transforms/transform-text';
import { TransformWorker, type TransformResult } from '~/worker/transform-client';
import { TransformHost } from '~/worker/transform-host';
import { rememberFunctionTree } from '~/core/analysis/function-tree';

let worker: TransformWorker | null = null;

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
): Transformed {
  const key = list.map(transformText).join('\n');
  const [shown, setShown] = useState<Shown | null>(null);
  const wanted = list.length > 0 && !source.callsPending;
  const current = shown?.source === source && shown.baseline === baseline ? shown : null;
  const done = current?.key === key;

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
    (worker ??= new TransformWorker()).apply(source, baseline, list, byFunction).then(
      (result) => result && show(result),
      () => show(inPage(source, baseline, list)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the list is keyed by its text; the view asked for at first
  }, [source, baseline, key, wanted, done]);

  if (!wanted) return { profile: source, baseline, pending: false };
  if (!current) return { profile: source, baseline, pending: true };
  return { profile: current.result.profile, baseline: current.result.baseline ?? baseline, pending: !done };
}

function inPage(source: Profile, baseline: Profile | null, list: Transform[]): TransformResult {
  const host = new TransformHost();
  host.keep(0, source);
  if (baseline) host.keep(1, baseline);
  const { profile, baseline: transformed } = host.apply(0, baseline ? 1 : null, list);
  return { profile, ...(transformed && { baseline: transformed }) };
}
