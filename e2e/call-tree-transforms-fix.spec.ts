import { expect, test, type Locator, type Page } from '@playwright/test';
import { dropFile, dropTransfer } from './helpers';

test('Enter while comparing focuses the baseline at the same path: Before and Δ stay those of the row', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Open a sample profile' }).click();
  await page.getByRole('menuitem', { name: /^shop-checkout-fixed\.prof/ }).click();
  await expect(page.getByTestId('compare-totals')).toContainText('shop-checkout.prof → shop-checkout-fixed.prof');
  const grid = await focusedCallTree(page);
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

/** Frames of the call tree's rows, read in every frame for `ms` after `act`: each row's total, share and function. */
/** The call tree shown, its grid focused for keys. */
async function focusedCallTree(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Call tree' }).click();
  const grid = page.locator('[role=treegrid]');
  await grid.focus();
  return grid;
}

async function rowsEveryFrame(page: Page, act: () => Promise<void>, ms: number): Promise<string[][]> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const grid = document.querySelector('[role=treegrid]')!;
    const read = () => {
      const rows = [...grid.querySelectorAll<HTMLElement>('.tr[role=row]')].map((r) =>
        [...r.querySelectorAll('[role=gridcell]')].map((c) => c.textContent!.trim()).join(' | '),
      );
      const count = document.querySelector('[data-testid=call-tree-rows]')?.textContent ?? '';
      seen.push([count, ...rows].join('\n'));
      requestAnimationFrame(read);
    };
    requestAnimationFrame(read);
  });
  await act();
  await page.waitForTimeout(ms);
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  return [...new Set(seen)].map((s) => s.split('\n'));
}

test('dropping a function leaves no row with nothing left, and shares of what is left, from the first frame', async ({
  page,
}) => {
  const folded = [
    'main;loop;a;b;c;handle_session;work 100',
    'main;serve;handle_session;work 30',
    'main;other 20',
    'main;loop;a;rest 20',
  ];
  await page.goto('./');
  await dropFile(page, 'drop.folded', new TextEncoder().encode(`${folded.join('\n')}\n`));
  await expect(page.getByTestId('file-name')).toContainText('drop.folded');
  const grid = await focusedCallTree(page);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('*');
  await page.keyboard.press('ArrowUp');
  await expect(grid.locator('.tr.cursor')).toContainText('handle_session');
  const seen = await rowsEveryFrame(
    page,
    async () => {
      await page.getByRole('button', { name: 'Transform…' }).click();
      await page.getByRole('menuitem', { name: 'Drop samples through handle_session' }).click();
    },
    2000,
  );
  const last = seen[seen.length - 1];
  expect(last).toEqual([
    '5 rows',
    '40 samples | 100.0 % | 0 samples | ▾main',
    '20 samples | 50.0 % | 0 samples | ▾loop',
    '20 samples | 50.0 % | 0 samples | ▾a',
    '20 samples | 50.0 % | 20 samples | rest',
    '20 samples | 50.0 % | 20 samples | other',
  ]);
  // No frame drawn after the click shows a row with nothing in it, nor shares of more than is left.
  expect(seen.filter((rows) => rows.some((r) => r.startsWith('0 samples')))).toEqual([]);
  expect(
    seen.filter(
      (rows) =>
        rows[1]?.includes('main') &&
        !rows[1].startsWith('170 samples | 100.0 % | 0 samples | ▾main') &&
        rows.join() !== last.join(),
    ),
  ).toEqual([]);
});

test('the cursor and open rows stay through two transforms chosen one after the other', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('./');
  // The hottest path runs through the standard library into a function calling itself; many other
  // stacks make the whole rewrite slower than the second choice.
  const transfer = await page.evaluateHandle(() => {
    const lib = '/usr/lib/python3.11/json/decoder.py';
    const lines = [
      `/srv/app/main.py:main:1;${lib}:decode:10;/srv/app/walk.py:walk:5;/srv/app/walk.py:walk:5;/srv/app/walk.py:walk:5;/srv/app/walk.py:leaf:9 900000\n`,
    ];
    for (let i = 0; i < 60_000; i++)
      lines.push(
        `/srv/app/main.py:main:1;/srv/app/m${i % 40}.py:a${i % 40}:1;${lib}:b${i % 97}:2;/srv/app/c.py:c${i}:3 ${1 + (i % 7)}\n`,
      );
    const dt = new DataTransfer();
    dt.items.add(new File(lines, 'chain.folded'));
    return dt;
  });
  await dropTransfer(page, transfer);
  await expect(page.getByTestId('file-name')).toContainText('chain.folded', { timeout: 30_000 });
  const grid = await focusedCallTree(page);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('*');
  await page.keyboard.press('ArrowUp');
  const cursor = grid.locator('.tr.cursor');
  await expect(cursor).toContainText('walk');
  await page.getByRole('button', { name: 'Transform…' }).click();
  await page.getByRole('menuitem', { name: 'Collapse direct recursion of walk' }).click();
  await page.waitForTimeout(100);
  await page.getByRole('button', { name: 'Transform…' }).click();
  await page.getByRole('menuitem', { name: 'Collapse standard library' }).click();
  await page.waitForTimeout(3000);
  await expect(cursor).toContainText('walk');
  await expect(grid.locator('[aria-expanded=true]')).not.toHaveCount(0);
});
