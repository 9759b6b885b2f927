import { resolve } from 'node:path';
import { test } from '@playwright/test';

const shots = process.env.LOOK_DIR ?? '/tmp/look-cmp7';
for (const [scheme, width] of [
  ['dark', 1024],
  ['light', 1280],
] as const)
  test(`look ${scheme} ${width}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 800 });
    await page.goto('./');
    await page.getByTestId('file-name').waitFor();
    await page.getByTestId('folder-input').setInputFiles(resolve('bench/out/requests-1000'));
    await page.getByText('1000 of 1000 profiles read').waitFor({ timeout: 100_000 });
    await page.getByTestId('file-name').filter({ hasText: 'merged' }).waitFor({ timeout: 100_000 });
    const rows = page.getByTestId('set-row');
    for (let i = 0; i < 3; i++) await rows.nth(i).locator('input[type=checkbox]').check();
    await page.getByRole('button', { name: 'Compare groups' }).click();
    await page.getByTestId('compare-totals').filter({ hasText: 'selected (3 merged)' }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${shots}/compare-groups-${scheme}-${width}.png` });
    await page.getByRole('tab', { name: 'Call tree' }).click();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: `${shots}/compare-ctree-${scheme}-${width}.png` });
    await page.getByRole('tab', { name: 'Diff flame graph' }).click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${shots}/compare-diff-${scheme}-${width}.png` });
  });
