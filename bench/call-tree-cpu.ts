/**
 * The call tree's interaction measured in CPU time rather than frame gaps, for a loaded machine
 * where the gaps measure the scheduler: the page's main thread time (Chromium's `ThreadTime`
 * metric) and its script, style and layout time over the scripted frames of the interaction bench,
 * per frame. `npx tsx bench/call-tree-cpu.ts DIST...` runs each built copy of Kiln in turn, twice.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { launch } from './browser';
import { makeInputs } from './inputs';
import { callTreeOf, scriptedTree } from './interaction';
import { serveDirectory } from './serve';

const FRAMES = 300;
const METRICS = ['ThreadTime', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'LayoutCount'];
const dirs = process.argv.slice(2);
const file = makeInputs('full', false, 'python3', console.log).interaction.path;
for (let run = 0; run < 2; run++)
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
      console.log(
        `${dir} (load ${load.toFixed(1)}): per frame ${METRICS.map((m) => `${m} ${per(m).toFixed(2)}`).join(', ')}`,
      );
    } finally {
      await browser.close();
      await app.close();
    }
  }
