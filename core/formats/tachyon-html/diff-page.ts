/**
 * Tachyon's differential page (`--diff-flamegraph BASELINE`), read as the two profiles it compares.
 * Its tree is the current recording's, each node also carrying the baseline's self samples on its
 * path (`baseline`); the paths only the baseline has are in `stats.elided_flamegraph`, whose nodes
 * carry theirs the same way. Tachyon matches paths by file and function, not line, and shares a
 * path's baseline samples out over its current nodes as the current samples are shared, counted
 * at the current recording's interval: the baseline is read as the page counts it. It keeps no
 * threads, so both sides are read with their threads merged.
 */
import { ProfileError, type Profile } from '~/core/model/profile';
import { StackCollector } from '../stacks/stack-collector';
import { baselineName } from '../format-reader';
import { amount, isNode, selfOf, walkFrames, warnOfLeftOut, type AddStack, type Node } from './page-tree';

export function readDiffPage(root: Node, stats: Node, fileName: string): Profile {
  const current = new StackCollector();
  walkFrames(root, current, 'the flame graph', (node, where, add) => add(selfOf(node, where)));
  if (current.stackLines === 0) throw new ProfileError('the flame graph holds no samples');

  const before = new StackCollector();
  const addBaseline = (node: Node, where: string, add: AddStack) =>
    add(Object.hasOwn(node, 'baseline') ? amount(node.baseline, `${where}'s baseline`) : 0);
  walkFrames(root, before, 'the flame graph', addBaseline);
  const elided = Object.hasOwn(stats, 'elided_flamegraph') ? stats.elided_flamegraph : undefined;
  if (elided !== undefined) {
    if (!isNode(elided)) throw new ProfileError('the graph of the paths only the baseline has should be an object');
    walkFrames(elided, before, 'the baseline-only graph', addBaseline);
  }

  const meta = { format: 'tachyon-flamegraph', unit: 'samples' } as const;
  const { profile } = current.build({ ...meta, fileName });
  const baseline = before.build({ ...meta, fileName: baselineName(fileName) }).profile;
  profile.baseline = baseline;
  warnOfLeftOut(profile, root);
  profile.warnings.push(
    'A differential page: its baseline is read as the page holds it, matched to this recording by file and function (so on its lines), threads merged.',
  );
  const scale = Object.hasOwn(stats, 'baseline_scale') ? amount(stats.baseline_scale, "the baseline's scale") : 1;
  if (scale !== 1) {
    profile.warnings.push(
      `The baseline was sampled at another interval: its samples are counted at this recording's, ×${scale.toPrecision(4)}.`,
    );
  }
  const recorded = Object.hasOwn(stats, 'baseline_samples')
    ? amount(stats.baseline_samples, "the baseline's samples")
    : 0;
  const lost = recorded * scale - baseline.samples;
  if (lost > 1e-6 * Math.max(1, recorded * scale)) {
    profile.warnings.push(
      `${Math.round(lost).toLocaleString('en')} of the baseline's ${Math.round(recorded * scale).toLocaleString('en')} samples are in no stack: they were on paths the page leaves out (under 0.1 % of this recording's samples).`,
    );
  }
  return profile;
}
