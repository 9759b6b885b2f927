/**
 * The call tree's interaction measured in CPU time rather than frame gaps, for a loaded machine
 * where the gaps measure the scheduler: the page's main thread time (Chromium's `ThreadTime`
 * metric) and its script, style and layout time over the scripted frames of the interaction bench,
 * per frame, with the frame gaps' p50 and p95. `npx tsx bench/call-tree-cpu.ts [--runs N] DIST...` runs
 * each built copy of Kiln in turn, N times (2 unless told).
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { launch } from './browser';
import { makeInputs } from './inputs';
import { callTreeOf, scriptedTree } from './interaction';
import { serveDirectory } from './serve';

const FRAMES = 300;
const METRICS = ['ThreadTime', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'LayoutCount'];
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 2;
const dirs = args;
const file = makeInputs('full', false, 'python3', console.log).interaction.path;
for (let run = 0; run < runs; run++)
  for (const dir of dirs) {
    const app = await serveDirectory(resolve(dir));
    const browser = await launch(['--disable-frame-rate-limit']);
    try {
      const { page } = await callTreeOf(browser, app.url, file);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const read = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        return new Map(metrics.map((m) => [m.name, m.value]));
      };
      const load = loadavg()[0];
      const before = await read();
      const gaps = await page.evaluate(scriptedTree, FRAMES);
      const after = await read();
      const per = (name: string) =>
        ((after.get(name)! - before.get(name)!) * (name.endsWith('Count') ? 1 : 1000)) / gaps.length;
      const sorted = [...gaps].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.floor(q * sorted.length)].toFixed(1);
      console.log(
        `${dir} (load ${load.toFixed(1)}): gaps p50 ${at(0.5)} p95 ${at(0.95)} ms; per frame ${METRICS.map((m) => `${m} ${per(m).toFixed(2)}`).join(', ')}`,
      );
    } finally {
      await browser.close();
      await app.close();
    }
  }
