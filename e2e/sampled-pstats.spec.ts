import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { groupPstatsLines } from '~/core/analysis/pstats-lines';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { dropFixture, fixturesDir, tableRows } from './helpers';

const FIXTURE = 'tachyon/web-py315-tachyon.prof';

test("Tachyon's pstats: one row per function, and the selected function's lines", async ({ page }) => {
  const profile = parsePstats(new Uint8Array(readFileSync(resolve(fixturesDir, FIXTURE))), FIXTURE);
  const functions = groupPstatsLines(profile, profile.pstats!).count;
  expect(functions).toBeLessThan(profile.pstats!.cc.length);

  await page.goto('./');
  await dropFixture(page, FIXTURE);
  await expect(page.getByTestId('file-name')).toContainText('web-py315-tachyon.prof');
  await expect(page.getByTestId('row-count')).toHaveText(`${functions} of ${functions} functions`);
  await expect(page.locator('.th[data-column="function"]')).toContainText('filename(function)');

  // print_stats shows seed_db at lines 33, 32 and 34: 183, 32 and 11 samples on top.
  await page.getByLabel('Filter functions').fill('seed_db');
  await expect(page.getByTestId('row-count')).toHaveText(`1 of ${functions} functions`);
  const [row] = await tableRows(page);
  expect(row[0]).toBe('226');
  expect(row[1]).toBe('0.226');
  expect(row.slice(-2)).toEqual(['/home/fx/shop/modern.py(web.<locals>.seed_db)', 'yours']);

  await page.locator('.table-body .tr').first().click();
  const lines = page.getByTestId('lines');
  await expect(lines.locator('h3')).toHaveText('Lines (3)');
  const cells = await lines
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => Array.from(r.children, (c) => c.textContent)));
  expect(cells).toEqual([
    ['32', '32', '0.032', '0.032'],
    ['33', '183', '0.183', '0.183'],
    ['34', '11', '0.011', '0.011'],
  ]);
  await expect(page.getByTestId('callers')).toBeVisible();
});
