/**
 * CPU time of reading and merging a folder of pstats files in one thread, as the set's worker does
 * with no helpers: `npx tsx bench/set-cpu.ts DIR [RUNS]`. Prints each run's CPU and wall ms, then
 * the median; the merge's size and a digest of the rows and the merge as pstats numbers them, so
 * that two versions can be checked to give the same numbers; then the wall time of each step
 * (open the file, its row of the list, add it to the merge, the merged profile) in one more run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { isPstatsMember, readSet, setOpener, summarize } from '~/core/analysis/profile-set';
import { ProfileMerger, statsAddOrder } from '~/core/analysis/merge';
import { toPstatsJson } from '~/core/export/pstats-json';

const [dir, runsArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: set-cpu.ts DIR [RUNS]');
const names = readdirSync(dir)
  .filter((n) => n.endsWith('.prof'))
  .sort();
const files = names.map((name) => ({ blob: new Blob([readFileSync(resolve(dir, name))]), name }));

const cpu: number[] = [];
for (let run = 0; run < Number(runsArg ?? 3); run++) {
  const start = process.cpuUsage(),
    wall = performance.now();
  const read = await readSet(files, setOpener(), 'merged');
  const used = process.cpuUsage(start);
  cpu.push((used.user + used.system) / 1000);
  const p = read.merged!;
  const digest = createHash('sha256')
    .update(JSON.stringify([read.rows, toPstatsJson(p)]))
    .digest('hex')
    .slice(0, 12);
  console.log(
    `run ${run + 1}: ${cpu[run].toFixed(0)} ms CPU, ${(performance.now() - wall).toFixed(0)} ms wall; ` +
      `${read.rows.length} rows, ${p.frames.count} functions, ${p.pstats!.edgeCaller.length} edges, ` +
      `total_tt ${p.pstats!.totalTt}, rows and merge sha256 ${digest}`,
  );
}
console.log(`median ${[...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)].toFixed(0)} ms CPU`);

// Where the time goes: the same work in its steps, each timed on its own (wall ms, one thread).
const phases = { open: 0, list: 0, merge: 0, result: 0 };
const merger = new ProfileMerger();
const open = setOpener();
for (const i of statsAddOrder(files.length)) {
  const t0 = performance.now();
  const p = await open(files[i].blob, files[i].name);
  const t1 = performance.now();
  summarize(p);
  const t2 = performance.now();
  if (isPstatsMember(p)) merger.addMember(p);
  else merger.add(p);
  phases.open += t1 - t0;
  phases.list += t2 - t1;
  phases.merge += performance.now() - t2;
}
const t3 = performance.now();
merger.result('merged');
phases.result = performance.now() - t3;
console.log(
  Object.entries(phases)
    .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
    .join(', '),
);
