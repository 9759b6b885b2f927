import { expect, test } from '@playwright/test';

test('Export… is a menu button: ↓ opens it without exporting, the arrows move, Enter exports, Esc closes', async ({
  page,
}) => {
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
  const button = page.getByRole('button', { name: 'Export…' });
  await expect(button).toHaveAttribute('aria-haspopup', 'menu');
  await button.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu', { name: 'Export…' });
  await expect(menu).toBeVisible();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('menuitem', { name: 'Table as CSV' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Folded stacks' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('menuitem', { name: 'speedscope JSON' })).toBeFocused();
  expect(downloads).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');

  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Table as CSV' })).toBeFocused();
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toBe('shop-checkout.csv');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();
});

test('Samples… is a menu button: moving through it does not replace the open profile', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
  const button = page.getByRole('button', { name: 'Open a sample profile' });
  await button.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: /^shop-checkout\.folded/ })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(button).toBeFocused();
  await page.waitForTimeout(300);
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');

  await page.keyboard.press(' ');
  await page.keyboard.press('End');
  await expect(page.getByRole('menuitem', { name: /^shop-checkout-fixed\.prof/ })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.samp');
  // A click outside closes an open menu.
  await button.click();
  await expect(page.getByRole('menu')).toBeVisible();
  await page.getByTestId('file-name').click();
  await expect(page.getByRole('menu')).toBeHidden();
});
