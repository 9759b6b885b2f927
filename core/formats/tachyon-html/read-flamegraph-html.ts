/**
 * Tachyon's flame graph page (`--flamegraph`): each node's samples per thread in `thread_values`
 * (`{tid: [total, self]}`), so threads become root frames `tid:N` as in its collapsed stacks. A
 * differential page (`--diff-flamegraph`) is read by `readDiffPage`.
 */
import { ProfileError, type Profile } from '~/core/model/profile';
import { StackCollector } from '../stacks/stack-collector';
import { splitTachyonFrame } from '../stacks/tachyon';
import { readDiffPage } from './diff-page';
import { count, isNode, pageData, selfOf, walkFrames, warnOfLeftOut } from './page-tree';

export function parseFlamegraphHtml(bytes: Uint8Array, fileName: string): Profile {
  const root = pageData(bytes);
  if (isNode(root.stats) && root.stats.is_differential === true) return readDiffPage(root, root.stats, fileName);
  const c = new StackCollector();
  const threadFrames = new Map<string, number>();
  const threadFrame = (tid: string) => {
    let f = threadFrames.get(tid);
    if (f === undefined) threadFrames.set(tid, (f = c.frameId(`tid:${tid}`, splitTachyonFrame)));
    return f;
  };
  walkFrames(root, c, 'the flame graph', (node, where, add) => {
    const perThread = node.thread_values;
    if (!isNode(perThread)) return add(selfOf(node, where));
    for (const [tid, values] of Object.entries(perThread)) {
      if (!/^\d{1,20}$/.test(tid)) throw new ProfileError(`${where} names a thread "${tid.slice(0, 40)}"`);
      if (!Array.isArray(values) || values.length < 2) {
        throw new ProfileError(`${where}'s samples of thread ${tid} should be [total, self]`);
      }
      const self = count(values[1], `${where}'s self samples in thread ${tid}`);
      if (self > 0) add(self, threadFrame(tid));
    }
  });
  if (c.stackLines === 0) throw new ProfileError('the flame graph holds no samples');
  const { profile } = c.build({ format: 'tachyon-flamegraph', unit: 'samples', fileName });
  warnOfLeftOut(profile, root);
  return profile;
}
