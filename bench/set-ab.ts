/**
 * Two builds of Kiln opening the folder of 1,000 pstats files in turns, so that both meet the
 * same load: `npx tsx bench/set-ab.ts DIST_A DIST_B [ROUNDS]` (each DIST a `npx vite build
 * --outDir DIST`; bench/out/requests-1000 made by `npx tsx bench/run.ts --only=set`). Prints each
 * open's time from the folder picker's `change` event to the list and merge on screen, with the
 * load, then the medians.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { outDir } from './inputs';
import { median } from './report';
import { openSetInKiln, requestSetIn } from './profile-set';
import { serveDirectory } from './serve';

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) throw new Error('usage: set-ab.ts DIST_A DIST_B [ROUNDS]');
const set = requestSetIn(resolve(outDir, 'requests-1000'));
const apps = [await serveDirectory(resolve(a)), await serveDirectory(resolve(b))];
const times: number[][] = [[], []];
try {
  for (let round = 0; round < Number(roundsArg ?? 3); round++)
    for (const side of [0, 1]) {
      const load = loadavg()[0];
      const run = await openSetInKiln(apps[side].url, set);
      times[side].push(run.listedAndMerged);
      console.log(`${side ? 'B' : 'A'} ${run.listedAndMerged.toFixed(0)} ms (load ${load.toFixed(1)})`);
    }
  console.log(`median A ${median(times[0]).toFixed(0)} ms, B ${median(times[1]).toFixed(0)} ms`);
} finally {
  for (const app of apps) await app.close();
}
