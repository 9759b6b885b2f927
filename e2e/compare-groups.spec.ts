import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { formatDuration, formatWeight } from '~/src/weights';
import type { PstatsJson } from '~/core/export/pstats-json';
import { fixturesDir, tableRows } from './helpers';

const prof = (name: string) => resolve(fixturesDir, `pstats/out/${name}.prof`);
const truthOf = (name: string) =>
  JSON.parse(readFileSync(resolve(fixturesDir, `pstats/out/${name}.json`), 'utf8')) as PstatsJson;
const totalTt = (name: string): number => truthOf(name).total_tt;
/** A function's tottime in a truth file. */
const tottime = (name: string, func: string) => truthOf(name).entries.find((e) => e.func[2] === func)!.tt;

const headline = (a: number, b: number) => {
  const change = (100 * (b - a)) / a;
  return `${formatWeight('seconds', a)} → ${formatWeight('seconds', b)} (${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(1)} %)`;
};

test('groups of different size are compared by their mean per profile, their sums one click away', async ({ page }) => {
  // Three runs of one version against one run of the next: summed, the three would read as a slowdown threefold.
  const [old, next] = ['seeds-py311-cprofile', 'seeds-py312-cprofile'];
  const dir = join(mkdtempSync(join(tmpdir(), 'kiln-groups-')), 'runs');
  mkdirSync(dir);
  for (const n of ['a', 'b', 'c']) copyFileSync(prof(old), join(dir, `${n}.prof`));
  copyFileSync(prof(next), join(dir, 'd.prof'));
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('set-row')).toHaveCount(4);
  await page.getByLabel(/^Select .*d\.prof$/).check();
  await page.getByRole('button', { name: 'Compare groups' }).click();

  const totals = page.getByTestId('compare-totals');
  await expect(totals).toContainText(
    `not selected (3 merged) → selected (1 merged): mean of 3 profiles → mean of 1: ${headline(totalTt(old), totalTt(next))}`,
  );
  // The table's values are means too: one function's tottime before and after.
  await page.getByPlaceholder('Filter: text or /regex/').fill('nlargest');
  const nlargest = async () => (await tableRows(page)).map((cells) => cells.slice(2, 4));
  await expect
    .poll(nlargest)
    .toEqual([[formatDuration(tottime(old, 'nlargest')), formatDuration(tottime(next, 'nlargest'))]]);
  const sums = page.getByLabel('sums of each group');
  await expect(sums).not.toBeChecked();
  await expect(page).not.toHaveURL(/sums=1/);

  await sums.check();
  await expect(totals).toContainText(`sum of 3 profiles → sum of 1: ${headline(3 * totalTt(old), totalTt(next))}`);
  await expect
    .poll(nlargest)
    .toEqual([[formatDuration(3 * tottime(old, 'nlargest')), formatDuration(tottime(next, 'nlargest'))]]);
  await expect(page).toHaveURL(/sums=1/);
  await sums.uncheck();
  await expect(totals).toContainText('mean of 3 profiles → mean of 1');

  // The diff flame graph is drawn from the same means.
  await page.getByRole('tab', { name: 'Diff flame graph' }).click();
  await expect(page.getByTestId('diff-flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
});
