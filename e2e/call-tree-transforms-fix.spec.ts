import { expect, test, type Locator } from '@playwright/test';

test('Enter while comparing focuses the baseline at the same path: Before and Δ stay those of the row', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Open a sample profile' }).click();
  await page.getByRole('menuitem', { name: /^shop-checkout-fixed\.prof/ }).click();
  await expect(page.getByTestId('compare-totals')).toContainText('shop-checkout.prof → shop-checkout-fixed.prof');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  const grid = page.locator('[role=treegrid]');
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const cursor = grid.locator('.tr.cursor');
  await expect(cursor).toContainText('checkout');
  await expect(cursor).toContainText('223 ms');
  await expect(cursor).toContainText('−189 ms');
  const cells = (row: Locator) => row.locator('[role=gridcell]').allInnerTexts();
  const unfocused = await cells(cursor);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('call-tree-compared')).not.toContainText('comparing with');
  const root = grid.locator('.tr[aria-level="1"]');
  await expect(root).toHaveCount(1);
  await expect
    .poll(async () => (await cells(root)).slice(0, 5))
    .toEqual(unfocused.map((text, k) => (k === 1 ? '100.0 %' : text)).slice(0, 5));
});
