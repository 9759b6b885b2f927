import { openAsBlob } from 'node:fs';
import { openProfile } from '~/core/formats/open-profile';
import { quickCallTree } from '~/core/analysis/quick-call-tree';
import { drawnTree } from '~/src/flame/drawn-tree';
const profile = await openProfile(await openAsBlob('/work/main/bench/out/folded-110mb.txt'), 'folded');
const frame = profile.tree.frame[3];
for (let r = 0; r < 3; r++)
for (const t of [{ kind: 'hide-library' }, { kind: 'merge-function', frame }, { kind: 'drop-function', frame }] as const) {
  const q = quickCallTree(profile, t)!;
  const t0 = performance.now();
  const d = drawnTree(q.byLine, 1280);
  let expanded = 0; for (let i = 0; i < d.count; i++) if (!Number.isNaN(d.self[i])) expanded++;
  console.log(t.kind, (performance.now() - t0).toFixed(1), d.count, expanded);
}
