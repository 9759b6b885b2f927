import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { tableRows } from './helpers';
import { dropLargeFolded } from './large-file';

/** The total of each function in the file `dropLargeFolded(page, name, megabytes)` drops, as the page generates it. */
function totalsOfLargeFolded(megabytes: number): number[] {
  const lines: string[] = [];
  const totals = new Map<string, number>();
  for (let i = 0; i < 4000; i++) {
    const frames: string[] = [];
    for (let d = 0; d < 30; d++)
      frames.push(`/srv/app/pkg${(i * 7 + d) % 97}/mod${d}.py:handler_${(i + d * 13) % 1009}:${((i * d) % 400) + 1}`);
    lines.push(`${frames.join(';')} ${1 + (i % 9)}\n`);
  }
  const copies = Math.ceil((megabytes * 1e6) / lines.join('').length);
  for (let i = 0; i < 4000; i++) {
    // A function is its file and name; no stack holds one twice.
    for (let d = 0; d < 30; d++) {
      const key = `${(i * 7 + d) % 97}/${d}/${(i + d * 13) % 1009}`;
      totals.set(key, (totals.get(key) ?? 0) + copies * (1 + (i % 9)));
    }
  }
  return [...totals.values()];
}

/** The numbers in column `c` of the rows drawn, top to bottom. */
async function columnShown(page: Page, c: number): Promise<number[]> {
  return (await tableRows(page)).map((cells) => Number(cells[c].replace(/,/g, '')));
}

test('a table of 120,000 functions is drawn with its first rows in order, and all of them follow', async ({ page }) => {
  test.setTimeout(60_000);
  const totals = totalsOfLargeFolded(4).sort((a, b) => b - a);
  expect(totals.length).toBe(120_000);
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
  await dropLargeFolded(page, 'wide.folded', 4);
  await expect(page.getByTestId('row-count')).toHaveText('120,000 of 120,000 functions');

  // Opened largest total first.
  await expect(page.locator('.th[data-column="total"]')).toHaveAttribute('aria-sort', 'descending');
  const TOTAL = 2;
  const top = await columnShown(page, TOTAL);
  expect(top).toEqual(totals.slice(0, top.length));
  // The last rows, once the whole order has come: the smallest totals, in order.
  await page.locator('.table-body').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect
    .poll(async () => {
      const end = await columnShown(page, TOTAL);
      return end.length > 0 && end.every((t, i) => t === totals[totals.length - end.length + i]);
    })
    .toBe(true);

  // Sorted again while far down: the rows on screen are in order in the first frame drawn, before
  // the rest of the order has come.
  await page.locator('.table-body').evaluate((el) => (el.scrollTop = 3000 * 22));
  // Exported in that frame too: every row, in the new order.
  const [download, shown] = await Promise.all([
    page.waitForEvent('download'),
    sortThenExport(page, '.th[data-column="total"]', TOTAL),
  ]);
  const ascending = totals.slice().reverse();
  expect(shown.length).toBeGreaterThan(10);
  for (const [at, total] of shown) expect(total).toBe(ascending[at]);
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  const column = lines[0].split(',').indexOf('total');
  expect(lines.slice(1).map((l) => Number(l.split(',')[column]))).toEqual(ascending);
});

/**
 * Clicks `header` and, in the next animation frame (the first drawn after the click, before any
 * task the table starts after it), asks for the table as CSV and gives the place in the table and
 * the number in column `c` of each row drawn.
 */
async function sortThenExport(page: Page, header: string, c: number): Promise<[number, number][]> {
  return page.evaluate(
    ([header, c]) => {
      document.querySelector<HTMLElement>(header)!.click();
      return new Promise<[number, number][]>((resolve) =>
        requestAnimationFrame(() => {
          document.querySelector<HTMLElement>('.export [role="menuitem"][data-id="csv"]')!.click();
          resolve(
            [...document.querySelectorAll<HTMLElement>('.table-body .tr')].map((r) => [
              Math.round(parseFloat(r.style.top) / 22),
              Number((r.children[c as number].textContent ?? '').replace(/,/g, '')),
            ]),
          );
        }),
      );
    },
    [header, c] as const,
  );
}
