/**
 * The interaction bench's transforms (from choosing one in the call tree's menu to the frame that
 * shows its result) on built copies of Kiln taken in turn, `--rounds` times, with the load average:
 * `npx tsx bench/transforms-ab.ts DIST...`, to set two builds side by side on a shared machine;
 * `--flame` chooses them in the flame graph instead, and adds the time to the whole tree drawn. Each
 * also gives the page's main thread time from the click to the whole result drawn.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeInputs } from './inputs';
import { flameTransformInteraction, transformInteraction } from './interaction';
import { serveDirectory } from './serve';

const { values, positionals } = parseArgs({
  options: { rounds: { type: 'string', default: '2' }, flame: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const file = makeInputs('full', false, 'python3', console.log).interaction.path;
for (let round = 0; round < Number(values.rounds); round++)
  for (const dir of positionals) {
    const app = await serveDirectory(resolve(dir));
    try {
      const load = loadavg()[0];
      const { times } = await (values.flame ? flameTransformInteraction : transformInteraction)(app.url, file);
      const time = (t: (typeof times)[number]) =>
        `${t.ms.toFixed(0)} ms${values.flame ? ` (whole ${t.wholeMs.toFixed(0)} ms)` : ''}, main thread ${t.cpuMs.toFixed(0)} ms`;
      console.log(`${dir} (load ${load.toFixed(1)}): ${times.map((t) => `${t.transform} ${time(t)}`).join('; ')}`);
    } finally {
      await app.close();
    }
  }
