import { expect, test, type Page } from '@playwright/test';

async function openSample(page: Page) {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
}

test('the sandwich names the selected function above both halves', async ({ page }) => {
  await openSample(page);
  await page.locator('.table-body .tr', { hasText: '(price_of)' }).first().click();
  await page.getByRole('tab', { name: 'Sandwich' }).click();
  const headings = page.locator('.sandwich h3');
  await expect(headings).toHaveText([/^Callers of .*price_of/, /^Callees of .*price_of/]);
});

test('a link whose ?url= is not an address says so instead of opening the page itself', async ({ page }) => {
  await page.goto('./?url=hello');
  await expect(page.getByTestId('error')).toHaveText(
    /“hello” is not a web address: a link names its profile as \?url=https:\/\/host\/path\/run\.prof\./,
  );
});
