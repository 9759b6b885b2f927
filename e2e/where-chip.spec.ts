import { expect, test } from '@playwright/test';
import { dropFixture, tableRows } from './helpers';

test('a py-spy raw table says where each function lives, and sorts library code away', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'pyspy/web-py312-pyspy-gil.raw');
  await page.getByLabel('Filter functions').fill('iterencode');
  const row = page.locator('.table-body .tr').first();
  const chip = row.locator('.chip');
  await expect(chip).toHaveText('stdlib');
  await expect(chip.locator('xpath=..')).toHaveAttribute('title', 'stdlib\nThe Python standard library');
  await expect(chip).toHaveCSS('background-color', /^rgb/);
  expect((await tableRows(page))[0].slice(4)).toEqual(['iterencode', 'json/encoder.py', 'stdlib']);

  await page.getByLabel('Filter functions').fill('');
  await page.locator('.th[data-column="where"]').click();
  await expect(page.locator('.th[data-column="where"]')).toHaveAttribute('aria-sort', 'ascending');
  const where = (await tableRows(page)).map((r) => r[6]);
  expect(where[0]).toBe('yours');
  expect(where.lastIndexOf('yours')).toBeLessThan(where.findIndex((w) => w !== 'yours'));
});
