import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { testDataDir } from '~/test/fixtures';
import { dropFile } from './helpers';
import { kept } from './library-db';

const dir = resolve(testDataDir, 'tachyon-diff');
const truth = JSON.parse(readFileSync(resolve(dir, 'diff.truth.json'), 'utf8')) as Record<
  'baseline' | 'current',
  { samples: number }
>;

test("Tachyon's differential page opens as a comparison of its two recordings, and a reload keeps it", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await dropFile(page, 'diff.html.gz', readFileSync(resolve(dir, 'diff.html.gz')));
  const totals = `diff.html.gz (before) → diff.html.gz: ${truth.baseline.samples} samples → ${truth.current.samples} samples`;
  await expect(page.getByTestId('compare-totals')).toContainText(totals);
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Diff flame graph' }).click();
  await expect(page.getByTestId('diff-flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
  expect(await page.evaluate(() => 'EMBEDDED_DATA' in window || 'd3' in window)).toBe(false);

  await kept(page, 'diff.html.gz', { last: true });
  await page.reload();
  await expect(page.getByTestId('compare-totals')).toContainText(totals);
  await expect(page.getByRole('tab', { name: 'Diff flame graph' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('diff-flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
  await expect(page.getByTestId('error')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("flamegraph.pl's two-count lines open as a comparison of their two columns", async ({ page }) => {
  await page.goto('./');
  await dropFile(page, 'diff.folded', new TextEncoder().encode('main;a;b 16 20\nmain;c 4 0\nmain 0 3\n'));
  await expect(page.getByTestId('compare-totals')).toContainText(
    'diff.folded (before) → diff.folded: 20 samples → 23 samples (+15.0 %)',
  );
});
