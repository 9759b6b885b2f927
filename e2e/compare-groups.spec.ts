import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
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

// Three runs of one version against one run of the next: summed, the three would read as a slowdown threefold.
const [old, next] = ['seeds-py311-cprofile', 'seeds-py312-cprofile'];

/** Opens a set of three runs of `old` (a, b, c) and one of `next` (d), and compares the three with the one. */
async function compareThreeWithOne(page: Page) {
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
}

/** The call tree's rows, top to bottom, as their cells' text. */
const treeRows = (page: Page) =>
  page.$$eval('.call-tree .tr', (rows) =>
    rows
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((r) => Array.from(r.children, (c) => c.textContent ?? '')),
  );
const treeHead = (page: Page) => page.locator('.call-tree .table-head [role=columnheader]').allTextContents();

test('groups of different size are compared by their mean per profile, their sums one click away', async ({ page }) => {
  await compareThreeWithOne(page);

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

test("the call tree while comparing gives each row the baseline's weight of its path and the change", async ({
  page,
}) => {
  await compareThreeWithOne(page);
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await expect(page.getByTestId('call-tree-compared')).toContainText(
    'against not selected (3 merged), each row matched by its path of functions',
  );
  await expect
    .poll(() => treeHead(page))
    .toEqual(['Total ▼', '%', 'Self', 'Mean before', 'Mean after', 'Δ mean', 'Calls', 'Function']);
  const compared = await treeRows(page);
  expect(compared.length).toBeGreaterThan(1);
  // The new group is one run: its mean is the tree's own total, row by row.
  for (const cells of compared) expect(cells[4]).toBe(cells[0]);

  // Summed, the baseline weighs three runs; one of those runs, opened alone, shows what a mean of the three is.
  await page.getByRole('tab', { name: 'Compare', exact: true }).click();
  await page.getByLabel('sums of each group').check();
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await expect.poll(() => treeHead(page)).toEqual(['Total ▼', '%', 'Self', 'Before', 'Δ', 'Calls', 'Function']);
  await page.getByRole('button', { name: /a\.prof$/ }).click();
  await expect(page.getByTestId('file-name')).toContainText('a.prof');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await expect(page.getByTestId('call-tree-compared')).toHaveCount(0);
  await expect.poll(() => treeHead(page)).toEqual(['Total ▼', '%', 'Self', 'Calls', 'Function']);
  const alone = await treeRows(page);
  // The rows opened at first are the only root's and its children: the same paths in both trees.
  const byName = new Map(alone.map((cells) => [cells.at(-1), cells[0]]));
  let matched = 0;
  for (const cells of compared) {
    const total = byName.get(cells.at(-1));
    if (total === undefined) continue;
    expect(cells[3], cells.at(-1)).toBe(total);
    matched++;
  }
  expect(matched).toBeGreaterThan(1);
});
