import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { dropFixture, fixturesDir } from './helpers';

/** Each bar's controls: whether they sit on one line, and any that reach past the window's right edge. */
async function barLayout(page: Page) {
  return page.evaluate(() =>
    ['.topbar', '.view-bar', '.view-tools'].map((bar) => {
      const boxes = [...document.querySelector(bar)!.children]
        .map((c) => c.getBoundingClientRect())
        .filter((r) => r.width > 0);
      const middles = boxes.map((r) => Math.round(r.top + r.height / 2));
      return {
        bar,
        oneLine: Math.max(...middles) - Math.min(...middles) <= 2,
        pastEdge: boxes.filter((r) => r.right > window.innerWidth).length,
      };
    }),
  );
}

for (const width of [1280, 1024]) {
  test(`at ${width} px the bars do not wrap: comparing, and a recording of threads in the flame graph`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 700 });
    await page.goto('./');
    await dropFixture(page, 'pstats/out/seeds-py311-cprofile.prof');
    await page.getByTestId('compare-input').setInputFiles(resolve(fixturesDir, 'pstats/out/seeds-py312-cprofile.prof'));
    await expect(page.getByTestId('compare-totals')).toBeVisible();
    for (const bar of await barLayout(page)) expect(bar).toEqual({ bar: bar.bar, oneLine: true, pastEdge: 0 });

    await dropFixture(page, 'tachyon/web-py315-tachyon.bin');
    await expect(page.getByTestId('thread-picker')).toBeVisible();
    await page.getByRole('tab', { name: 'Flame graph' }).click();
    await expect(page.getByTestId('status-filter')).toBeVisible();
    await expect(page.getByTestId('graph-search')).toBeVisible();
    for (const bar of await barLayout(page)) expect(bar).toEqual({ bar: bar.bar, oneLine: true, pastEdge: 0 });
  });
}

test('the bars are reached with Tab, in the order they are read', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto('./');
  await dropFixture(page, 'pstats/out/seeds-py311-cprofile.prof');
  await page.getByTestId('compare-input').setInputFiles(resolve(fixturesDir, 'pstats/out/seeds-py312-cprofile.prof'));
  await expect(page.getByTestId('compare-totals')).toBeVisible();
  await page.getByRole('button', { name: 'Open profile…' }).focus();
  const reached: string[] = [];
  for (let k = 0; k < 24; k++) {
    await page.keyboard.press('Tab');
    reached.push(
      await page.evaluate(
        () => document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent?.trim() || '',
      ),
    );
  }
  const order = [
    'Swap sides',
    'Samples: open a sample profile',
    'Library',
    'Colour scheme',
    'Compare',
    'Export…',
    'Transform…',
  ];
  const at = order.map((name) => reached.findIndex((r) => r === name));
  expect(
    at.every((k) => k >= 0),
    reached.join(' | '),
  ).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
});
