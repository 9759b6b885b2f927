/**
 * Stack text to model in Node: each stack kind of `inputs.ts` made at the size asked (50 MB unless
 * `--mb N`), then opened as the worker opens it (`openProfile` on a Blob of the file), three
 * times; prints the median CPU time and MB/s per kind, with the load average, since other work on
 * the machine slows every number. `--kind NAME` times one kind.
 */
import { existsSync, mkdirSync, openAsBlob, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFolded } from './folded-gen';
import { STACK_KINDS, outDir } from './inputs';
import { openProfile } from '~/core/formats/open-profile';

const RUNS = 3;
const MB = 1e6;

const { values } = parseArgs({ options: { mb: { type: 'string', default: '50' }, kind: { type: 'string' } } });
const megabytes = Number(values.mb);
mkdirSync(outDir, { recursive: true });
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const kind of values.kind ? [values.kind] : Object.keys(STACK_KINDS)) {
  const path = resolve(outDir, `${kind}-${megabytes}mb.txt`);
  if (!existsSync(path)) writeFolded(path, megabytes * MB, STACK_KINDS[kind]);
  const size = statSync(path).size;
  const times: number[] = [];
  let frames = 0;
  for (let run = 0; run < RUNS; run++) {
    const blob = await openAsBlob(path);
    const before = process.cpuUsage();
    const profile = await openProfile(blob, kind);
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1e6);
    frames = profile.frames.label.length;
  }
  const median = times.sort((a, b) => a - b)[RUNS >> 1];
  console.log(
    `${kind.padEnd(14)} ${(size / MB).toFixed(1)} MB  ${median.toFixed(2)} s  ${(size / MB / median).toFixed(1)} MB/s  ${frames} frames`,
  );
}
