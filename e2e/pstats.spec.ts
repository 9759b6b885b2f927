import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { dropFile, dropFixture, fixturesDir, tableRows } from './helpers';

const FIXTURE = 'pstats/out/seeds-py312-cprofile';

/** `print_stats` rows of the fixture's .txt for one sort key, split into their six columns. */
function printed(key: string): string[][] {
  const txt = readFileSync(resolve(fixturesDir, `${FIXTURE}.txt`), 'utf8');
  const section = txt.split(/^### /m).find((s) => s.startsWith(`print_stats sort=${key}\n`))!;
  const lines = section.split('\n');
  const title = lines.findIndex((l) => l.includes('filename:lineno(function)'));
  return lines
    .slice(title + 1)
    .filter((l) => l.trim())
    .map((l) => {
      const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s(.*)$/.exec(l)!;
      return m.slice(1);
    });
}

/** The same six columns read from the page (leaving out the percent columns). */
const visible = (rows: string[][]) => rows.map((r) => [r[0], r[1], r[3], r[4], r[6], r[7]]);

test('drop a pstats file: header, cumulative order, sort by tottime, callers', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');

  await dropFixture(page, `${FIXTURE}.prof`);
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
  await expect(page.getByTestId('summary')).toHaveText('131 function calls in 0.034 seconds');

  const cumulative = printed('cumulative');
  expect(visible(await tableRows(page)).slice(0, 8)).toEqual(cumulative.slice(0, 8));
  await expect(page.getByTestId('row-count')).toHaveText(`${cumulative.length} of ${cumulative.length} functions`);

  await page.locator('.th[data-column="tottime"]').click();
  const byTottime = visible(await tableRows(page));
  expect(byTottime[0][5]).toBe('{built-in method time.sleep}');
  expect(byTottime.slice(0, 4)).toEqual(printed('tottime').slice(0, 4));
  await page.locator('.th[data-column="tottime"]').click();
  expect(visible(await tableRows(page))[cumulative.length - 1][5]).toBe('{built-in method time.sleep}');

  await page.locator('.table-body .tr', { hasText: 'workloads.py:64(work)' }).click();
  const callers = page.getByTestId('callers');
  await expect(callers).toContainText('Called by (2)');
  await expect(callers).toContainText('workloads.py:70(foo)');
  await expect(callers).toContainText('workloads.py:74(bar)');

  await callers.locator('tr', { hasText: 'workloads.py:70(foo)' }).click();
  await expect(page.locator('.selected-name')).toHaveText('/home/dev/shop/workloads.py:70(foo)');
  await expect(page.getByTestId('callees')).toContainText('workloads.py:64(work)');

  await page.getByRole('button', { name: 'Close the callers panel' }).click();
  await expect(page.getByTestId('callers')).toHaveCount(0);
  await expect(page.locator('.table-body .tr.selected')).toHaveCount(0);
});

test('filter by substring and by regex shows the count of rows', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, `${FIXTURE}.prof`);
  await expect(page.getByTestId('summary')).toHaveText('131 function calls in 0.034 seconds');
  const all = printed('cumulative');
  await page.getByLabel('Filter functions').fill('Method');
  const withMethod = all.filter((r) => r[5].toLowerCase().includes('method')).length;
  await expect(page.getByTestId('row-count')).toHaveText(`${withMethod} of ${all.length} functions`);
  await page.getByLabel('Filter functions').fill('/^\\{built-in/');
  const builtins = all.filter((r) => r[5].startsWith('{built-in')).length;
  await expect(page.getByTestId('row-count')).toHaveText(`${builtins} of ${all.length} functions`);
  await expect(page.locator('.table-body .tr').first()).toContainText('{built-in method time.sleep}');
});

test('bad input gets a clear message and the last good profile stays', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, `${FIXTURE}.prof`);
  await expect(page.getByTestId('summary')).toHaveText('131 function calls in 0.034 seconds');

  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  await dropFile(page, 'screenshot.png', png);
  await expect(page.getByTestId('error')).toContainText('screenshot.png');
  await expect(page.getByTestId('summary')).toHaveText('131 function calls in 0.034 seconds');

  await dropFile(page, 'empty.prof', new Uint8Array());
  await expect(page.getByTestId('error')).toContainText('“empty.prof”: the file is empty');

  const whole = readFileSync(resolve(fixturesDir, `${FIXTURE}.prof`));
  await dropFile(page, 'cut.prof', whole.subarray(0, 1000));
  await expect(page.getByTestId('error')).toContainText('“cut.prof”: the file is truncated');
  await expect(page.getByTestId('error')).toContainText('at byte');
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
});

test('python -m profile file: the script named by its code object, the graph says how much it estimated', async ({
  page,
}) => {
  const fixture = 'pstats/cli/out/app-py311-profile.prof';
  const { treeEstimate } = parsePstats(new Uint8Array(readFileSync(resolve(fixturesDir, fixture))), 'app.prof');
  await page.goto('./');
  await dropFixture(page, fixture);
  await expect(page.getByTestId('summary')).toHaveText('18112 function calls (18022 primitive calls) in 0.116 seconds');
  await expect(page.locator('.table-body .tr').first()).toContainText(
    'profile:0(<code object <module>, file "app.py", line 1>)',
  );

  await page.getByRole('tab', { name: 'Flame graph' }).click();
  const share = (100 * treeEstimate!.splitShare).toFixed(1);
  expect(Number(share)).toBeGreaterThan(0);
  await expect(page.getByTestId('estimate-note')).toContainText(
    `Each function's self times add up to its tottime; ${share} % of the time is on functions called from several places`,
  );

  const canvas = page.getByTestId('flame').locator('canvas');
  await expect(canvas).toHaveAttribute('data-painted', /\d+/);
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 9);
  const tooltip = page.getByTestId('tooltip');
  await expect(tooltip.locator('.tt-name')).toHaveText('profiler');
  await expect(tooltip).toContainText('(100.00 %) · estimated');
  await expect(tooltip).toContainText('self: 0 s (0.00 %) · its whole tottime');
  await expect(tooltip).toContainText('pstats: tottime 0 s, cumtime 0 s');
});
