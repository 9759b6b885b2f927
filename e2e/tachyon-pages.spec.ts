import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { dropFixture, fixturesDir } from './helpers';

test("Tachyon's flame graph page opens as the recording, its data never run", async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await dropFixture(page, 'tachyon/web-py315-tachyon.flamegraph.html');
  await expect(page.getByTestId('summary')).toHaveText('946 samples');
  await expect(page.getByTestId('thread-picker').locator('summary')).toHaveText('Threads: all 6');
  expect(await page.evaluate(() => 'EMBEDDED_DATA' in window || typeof d3 !== 'undefined')).toBe(false);
  expect(errors).toEqual([]);
});

declare const d3: unknown;

test("Tachyon's JSON Lines open as a table, the graphs saying why they are empty", async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'tachyon/web-py315-tachyon.jsonl');
  await expect(page.locator('.warning').first()).toContainText('not the stacks');
  await expect(page.getByRole('columnheader', { name: /nsamples/ })).toBeVisible();
  await page.getByRole('tab', { name: 'Flame graph' }).click();
  await expect(page.locator('.warning').first()).toContainText('no call tree to draw');
  await expect(page.getByTestId('flame')).toBeVisible();
});

test("a binary recording's samples narrowed to those holding the GIL, in every view", async ({ page }) => {
  const pageText = readFileSync(resolve(fixturesDir, 'tachyon/web-py315-tachyon.flamegraph.html'), 'utf8');
  const hasGil = Number(/"thread_stats": \{[^}]*"has_gil": (\d+)/.exec(pageText)![1]);
  await page.goto('./');
  await dropFixture(page, 'tachyon/web-py315-tachyon.bin');
  await expect(page.getByTestId('summary')).toHaveText('946 samples');
  await page.getByTestId('status-filter').selectOption({ label: 'Samples holding the GIL' });
  await expect(page.getByTestId('summary')).toHaveText(`${hasGil} samples`);
  await page.getByRole('tab', { name: 'Time order' }).click();
  await expect(page.getByTestId('status-filter')).toHaveValue('1');
});

test("the time order's interval lanes name each lane beside its bars, never over them", async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'tachyon/web-py315-tachyon.gecko.json');
  await page.getByRole('tab', { name: 'Time order' }).click();
  const lanes = page.getByTestId('interval-lanes').locator('.interval-lane');
  await expect.poll(() => lanes.count()).toBeGreaterThan(10);
  const overlaps = await lanes.evaluateAll(
    (all) =>
      all.filter((lane) => {
        const name = lane.querySelector('.interval-name')!.getBoundingClientRect();
        const bars = lane.querySelector('svg')!.getBoundingClientRect();
        return name.bottom > bars.top + 0.5 && name.top < bars.bottom - 0.5;
      }).length,
  );
  expect(overlaps).toBe(0);
});

test('the time order says how many threads lie below the view, and fewer once scrolled down to them', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('./');
  await dropFixture(page, 'tachyon/web-py315-tachyon.gecko.json');
  await page.getByRole('tab', { name: 'Time order' }).click();
  const more = page.getByTestId('threads-below');
  await expect(more).toHaveText(/^\d+ more threads? below: scroll the chart to see (it|them)$/);
  const first = parseInt((await more.textContent())!);
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThan(6);
  await page.locator('.time-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(more).toHaveCount(0);
});
