import { expect, test } from '@playwright/test';
import { dropTransfer } from './helpers';

test("the page draws frames and answers keys while the call tree's Before and Δ are being made", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  // Two columns of counts: a comparison of 120,000 distinct stacks, about 270,000 nodes, made in
  // the page so that no bytes cross from the test. Diffing its trees takes about a second.
  const transfer = await page.evaluateHandle(() => {
    const lines: string[] = [];
    for (let i = 0; i < 120_000; i++)
      lines.push(`main;a${i % 50};b${i % 997};c${i % 1301};d${i} ${1 + (i % 7)} ${1 + (i % 5)}\n`);
    const dt = new DataTransfer();
    dt.items.add(new File(lines, 'two-columns.folded'));
    return dt;
  });
  await dropTransfer(page, transfer);
  await expect(page.getByTestId('compare-totals')).toContainText('two-columns.folded (before) → two-columns.folded', {
    timeout: 60_000,
  });
  const seen = await page.evaluate(async () => {
    const frame = () => new Promise((done) => requestAnimationFrame(done));
    const pending = () =>
      document.querySelector('[data-testid=call-tree-compared]')?.textContent?.includes('comparing with') ?? false;
    [...document.querySelectorAll<HTMLElement>('[role=tab]')].find((t) => t.textContent === 'Call tree')!.click();
    while (!document.querySelector('[role=treegrid]')) await frame();
    const grid = document.querySelector<HTMLElement>('[role=treegrid]')!;
    await frame();
    const pendingAtKey = pending();
    grid.focus();
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }));
    await frame();
    const cursor = grid.querySelector('.tr.cursor')?.textContent ?? null;
    const pendingAfterKey = pending();
    let framesWhilePending = 0;
    const start = performance.now();
    while (pending()) {
      await frame();
      framesWhilePending++;
    }
    const head = [...grid.querySelectorAll('[role=columnheader]')].map((h) => h.textContent);
    return { pendingAtKey, cursor, pendingAfterKey, framesWhilePending, ms: performance.now() - start, head };
  });
  // The key was handled, and its row drawn, while the diff was still being made.
  expect(seen.pendingAtKey).toBe(true);
  expect(seen.cursor).toContain('main');
  expect(seen.pendingAfterKey).toBe(true);
  // Frames went on being drawn while it was made; then Before and Δ came.
  expect(seen.framesWhilePending).toBeGreaterThan(5);
  expect(seen.head).toEqual(expect.arrayContaining(['Before', 'Δ']));
  // The first row, the one root: its Before is the first column's sum, its Δ the second's less that.
  const root = page.locator('.call-tree .tr.cursor [role=gridcell]');
  await expect(root.nth(0)).toHaveText('360,000 samples');
  await expect(root.nth(3)).toHaveText('479,997 samples');
  await expect(root.nth(4)).toHaveText(/^[−-]119,997 samples$/);
});
