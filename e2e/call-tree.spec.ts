import { expect, test, type Locator, type Page } from '@playwright/test';
import { chooseFromMenu, dropFile, dropFixture } from './helpers';

/** The call tree of a Python 3.15 import-heavy cProfile run, its hottest path opened with `*`. */
async function importsHottestPath(page: Page): Promise<Locator> {
  await page.goto('./');
  await dropFixture(page, 'pstats/cli/out/imports-py315-cprofile.prof');
  await expect(page.getByTestId('file-name')).toContainText('imports-py315-cprofile.prof');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  const grid = page.getByRole('treegrid', { name: 'Call tree' });
  await grid.focus();
  await page.keyboard.press('*');
  return grid;
}

/** The call tree's rows on screen, top to bottom: level and text of the function cell. */
async function treeRows(page: Page): Promise<{ level: number; name: string; total: string }[]> {
  return page.$$eval('.call-tree .tr', (rows) =>
    rows
      .map((r) => ({
        top: r.getBoundingClientRect().top,
        level: Number(r.getAttribute('aria-level')),
        name: [...(r.lastElementChild?.childNodes ?? [])]
          .filter((n) => !(n instanceof Element && n.classList.contains('place')))
          .map((n) => n.textContent)
          .join('')
          .replace(/^[▸▾]\s*/, ''),
        total: r.firstElementChild?.textContent ?? '',
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ level, name, total }) => ({ level, name, total })),
  );
}

const cursorRow = (page: Page) => page.locator('.call-tree .tr.cursor');

test('the call tree opens and closes like a tree from the keyboard and selects the function everywhere', async ({
  page,
}) => {
  await page.goto('./');
  await dropFixture(page, 'folded/sampler-py311.folded');
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  const grid = page.getByRole('treegrid', { name: 'Call tree' });
  await expect(grid).toBeVisible();
  // One root, opened: <module> and its child.
  let rows = await treeRows(page);
  expect(rows.slice(0, 2)).toEqual([
    { level: 1, name: '<module>', total: '877 samples' },
    { level: 2, name: 'main', total: '877 samples' },
  ]);
  expect(rows).toHaveLength(2);

  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await expect(cursorRow(page)).toContainText('<module>');
  await page.keyboard.press('ArrowDown');
  await expect(cursorRow(page)).toContainText('main');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'true');
  rows = await treeRows(page);
  expect(rows.length).toBeGreaterThan(2);
  expect(rows[2].level).toBe(3);
  await page.keyboard.press('ArrowRight');
  await expect(cursorRow(page)).toHaveAttribute('aria-level', '3');
  const child = await cursorRow(page).textContent();
  await page.keyboard.press('ArrowLeft');
  await expect(cursorRow(page)).toContainText('main');
  await page.keyboard.press('ArrowLeft');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'false');
  expect(await treeRows(page)).toHaveLength(2);

  // The hottest path, by its key: every step goes down to the heaviest child, to a leaf.
  await page.keyboard.press('*');
  rows = await treeRows(page);
  const path = rows.filter((r, k) => k === 0 || r.level > rows[k - 1].level);
  expect(path.length).toBeGreaterThan(3);
  // A leaf: it opens, if at all, onto its lines only.
  await expect(cursorRow(page)).not.toHaveAttribute('aria-expanded', 'true');
  expect(child).toBeTruthy();

  // The function is selected in the table too, with its callers and callees.
  const leaf = (await cursorRow(page).locator('[role=gridcell]').last().textContent())!.replace(/^[▸▾]\s*/, '');
  await page.getByRole('tab', { name: 'Table' }).click();
  await expect(page.locator('.table-body .tr.selected')).toContainText(leaf);
  await expect(page.getByTestId('callers').locator('tbody tr').first()).toBeVisible();

  // Inverted: the functions holding self time at the root.
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await page.getByTestId('inverted').click();
  const inverted = await treeRows(page);
  expect(inverted.every((r) => r.level === 1)).toBe(true);
  const sum = inverted.reduce((s, r) => s + parseInt(r.total), 0);
  expect(sum).toBe(877);
});

test("a function's row opens onto its lines, whose totals add up to the row's", async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'tachyon/web-py315-tachyon.collapsed');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  const grid = page.getByRole('treegrid', { name: 'Call tree' });
  await grid.focus();
  // Down the hottest path to its leaf, then up to the first row that has lines.
  await page.keyboard.press('*');
  await page.keyboard.press('ArrowLeft');
  const fn = (await cursorRow(page).locator('[role=gridcell]').last().textContent())!.replace(/^[▸▾]\s*/, '');
  const fnTotal = parseInt((await cursorRow(page).locator('[role=gridcell]').first().textContent())!);
  await page.keyboard.press('ArrowLeft');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(cursorRow(page)).toContainText(`Lines`);
  await expect(cursorRow(page)).toContainText(fn);
  await page.keyboard.press('ArrowRight');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'true');
  const rows = await treeRows(page);
  const at = rows.findIndex((r) => r.name.startsWith('Lines') && r.name.endsWith(` of ${fn}`));
  const lines = [];
  for (let k = at + 1; k < rows.length && rows[k].name.startsWith('line '); k++) lines.push(rows[k]);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((l) => l.level === rows[at].level + 1)).toBe(true);
  expect(lines.reduce((s, l) => s + parseInt(l.total), 0)).toBe(fnTotal);
  // ←: from a line up to the lines' row, which closes.
  await page.keyboard.press('ArrowRight');
  await expect(cursorRow(page)).toContainText('line ');
  await page.keyboard.press('ArrowLeft');
  await expect(cursorRow(page)).toContainText('Lines');
  await page.keyboard.press('ArrowLeft');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'false');
  // Enter opens and closes the lines' row, as it is no place to focus on.
  await page.keyboard.press('Enter');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'true');
  await expect(cursorRow(page)).toContainText('Lines');
  await page.keyboard.press('Enter');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('transforms')).toHaveCount(0);
});

test("the inverted tree's rows open onto lines: a root's self weight per line, a caller's per line it called from", async ({
  page,
}) => {
  await page.goto('./');
  await dropFixture(page, 'tachyon/web-py315-tachyon.collapsed');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await page.getByTestId('inverted').click();
  const grid = page.getByRole('treegrid', { name: 'Inverted call tree' });
  await grid.focus();
  const cells = (k: number) => cursorRow(page).locator('[role=gridcell]').nth(k);
  const opened = async () => {
    const rows = await treeRows(page);
    const at = rows.findIndex((r) => r.name.startsWith('Lines'));
    const lines = [];
    for (let k = at + 1; k < rows.length && rows[k].name.startsWith('line '); k++) lines.push(rows[k]);
    return { at, rows, lines };
  };
  // Down the roots to the first whose lines are several: → opens it onto its lines' row first.
  let total: number;
  for (;;) {
    await page.keyboard.press('ArrowDown');
    total = parseInt((await cells(0).textContent())!);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    if ((await cursorRow(page).textContent())!.includes('Lines')) break;
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await cursorRow(page).getAttribute('aria-level')).toBe('1');
  }
  await page.keyboard.press('ArrowRight');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'true');
  const root = await opened();
  let { rows, lines } = root;
  expect(rows[root.at].level).toBe(2);
  expect(lines.length).toBeGreaterThan(1);
  // At a root every line's weight is its own: the lines sum to the row's total, self as total.
  expect(lines.reduce((s, l) => s + parseInt(l.total), 0)).toBe(total);
  for (const row of await page.locator('.call-tree .tr.line-row').all())
    if ((await row.textContent())!.includes('line ')) {
      const [t, , self] = await row.locator('[role=gridcell]').allTextContents();
      expect(self).toBe(t);
    }
  // Back to the root, then down its heaviest callers: a caller's lines are the lines it called from.
  for (let k = 0; k < 2; k++) await page.keyboard.press('ArrowLeft');
  await expect(cursorRow(page)).toHaveAttribute('aria-level', '1');
  await page.keyboard.press('*');
  rows = await treeRows(page);
  const callerLines = rows.findIndex((r) => r.name.startsWith('Lines') && r.level >= 3);
  expect(callerLines).toBeGreaterThan(0);
  // A node's lines' row comes just below it.
  const callerTotal = parseInt(rows[callerLines - 1].total);
  const { name, level } = rows[callerLines];
  await page.locator(`.call-tree .tr[aria-level="${level}"]`).filter({ hasText: name }).first().click();
  await page.keyboard.press('ArrowRight');
  await expect(cursorRow(page)).toHaveAttribute('aria-expanded', 'true');
  rows = await treeRows(page);
  lines = [];
  for (let k = callerLines + 1; k < rows.length && rows[k].level === level + 1; k++) lines.push(rows[k]);
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.every((l) => l.name.startsWith('line '))).toBe(true);
  expect(lines.reduce((s, l) => s + parseInt(l.total), 0)).toBe(callerTotal);
});

test('a transform survives a reload through the address, and its breadcrumb removes it', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'folded/sampler-py311.folded');
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await page.getByRole('treegrid').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(cursorRow(page)).toContainText('main');
  await chooseFromMenu(page, 'Transform…', 'Merge main into its callers');
  await expect(page.getByTestId('transforms')).toContainText('Merge main');
  await expect.poll(() => new URL(page.url()).hash).toMatch(/tf=merge%3A\d+/);
  // The call tree draws it at once from the page's quick tree; the transform worker makes the whole result after.
  await expect(page.getByTestId('transforms')).toHaveAttribute('aria-busy', 'false');
  await expect.poll(() => page.workers().some((w) => w.url().includes('transform-worker'))).toBe(true);
  const merged = await treeRows(page);
  expect(merged.map((r) => r.name)).not.toContain('main');
  expect(merged[0]).toEqual({ level: 1, name: '<module>', total: '877 samples' });

  await page.reload();
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await expect(page.getByTestId('transforms')).toContainText('Merge main');
  await expect(page.getByTestId('transforms')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByRole('treegrid')).toBeVisible();
  expect((await treeRows(page)).map((r) => r.name)).not.toContain('main');

  await page.getByRole('button', { name: 'Remove the last transform' }).click();
  await expect(page.getByTestId('transforms')).toHaveCount(0);
  await expect.poll(() => new URL(page.url()).hash).not.toContain('tf=');
  expect((await treeRows(page)).map((r) => r.name)).toContain('main');
});

test('a transform keeps the open rows whose places are still in the tree', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'folded/sampler-py311.folded');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  const grid = page.getByRole('treegrid', { name: 'Call tree' });
  await grid.focus();
  await page.keyboard.press('*');
  // Function rows only: an open function's first row below it is that of its lines.
  const functionRows = async () => (await treeRows(page)).filter((r) => !/^(Lines \(|line )/.test(r.name));
  const before = await functionRows();
  // The hottest path: each row a level below the one before, every one open but the leaf.
  const path = before.filter((r, k) => k === 0 || r.level > before[k - 1].level);
  expect(path.length).toBeGreaterThan(4);
  const leaf = path[path.length - 1].name;
  await expect(cursorRow(page)).toContainText(leaf);
  const openBefore = await page.locator('.call-tree .tr[aria-expanded=true]').count();
  expect(openBefore).toBe(path.length - 1);
  // Merging the leaf into its caller leaves every place above it: they stay open.
  await chooseFromMenu(page, 'Transform…', `Merge ${leaf} into its callers`);
  await expect(page.getByTestId('transforms')).toHaveAttribute('aria-busy', 'false');
  const after = await functionRows();
  expect(after.map((r) => r.name)).not.toContain(leaf);
  const openNames = await page
    .locator('.call-tree .tr[aria-expanded=true] [role=gridcell]:last-child')
    .evaluateAll((cells) =>
      cells.map((c) =>
        (c.textContent ?? '').replace(c.querySelector('.place')?.textContent ?? '', '').replace(/^[▸▾]\s*/, ''),
      ),
    );
  expect(openNames).toEqual(path.slice(0, -1).map((r) => r.name));
  expect(after.length).toBeGreaterThan(path.length - 1);
  // Taking the transform off keeps them open too.
  await page.getByRole('button', { name: 'Whole profile' }).click();
  await expect(page.getByTestId('transforms')).toHaveCount(0);
  await expect(page.locator('.call-tree .tr[aria-expanded=true]')).toHaveCount(openBefore);
});

test("Enter focuses on the row's place: the tree's one root is its function, with the row's total", async ({
  page,
}) => {
  await page.goto('./');
  await dropFixture(page, 'folded/sampler-py311.folded');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await page.getByRole('treegrid', { name: 'Call tree' }).focus();
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight']) await page.keyboard.press(key);
  // Past main's lines (Enter opens and closes them) to its first callee.
  for (let k = 0; k < 20 && (await cursorRow(page).getAttribute('class'))!.includes('line-row'); k++)
    await page.keyboard.press('ArrowDown');
  await expect(cursorRow(page)).toHaveAttribute('aria-level', '3');
  const at = await cursorRow(page).getAttribute('data-at');
  const place = (await treeRows(page))[Number(at)];
  expect(place.level).toBe(3);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('transforms')).toContainText('Focus');
  await expect(page.getByTestId('transforms')).toHaveAttribute('aria-busy', 'false');
  const focused = await treeRows(page);
  expect(focused[0]).toEqual({ level: 1, name: place.name, total: place.total });
  expect(focused.filter((r) => r.level === 1)).toHaveLength(1);
});

test('PageDown and PageUp move the cursor a page and keep it in view', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 460 });
  const grid = await importsHottestPath(page);
  await page.keyboard.press('Home');
  await expect(cursorRow(page)).toHaveAttribute('aria-level', '1');
  const view = (await grid.boundingBox())!;
  const perPage = Math.floor(view.height / 22);
  const rowCount = async () => parseInt((await page.getByTestId('call-tree-rows').textContent())!.replace(/,/g, ''));
  await expect.poll(rowCount).toBeGreaterThan(3 * perPage);
  // The cursor's place in the whole list of rows, wherever the view is scrolled.
  const cursorTop = () =>
    cursorRow(page).evaluate(
      (r) => r.getBoundingClientRect().top - r.closest('.tree-rows')!.getBoundingClientRect().top,
    );
  const inView = async () => {
    const box = (await cursorRow(page).boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(view.y + 26 - 0.5);
    expect(box.y + box.height).toBeLessThanOrEqual(view.y + view.height + 0.5);
  };
  let before = await cursorTop();
  for (let k = 0; k < 2; k++) {
    await page.keyboard.press('PageDown');
    await expect.poll(cursorTop).toBeGreaterThan(before + (perPage - 3) * 22);
    before = await cursorTop();
    await inView();
  }
  await page.keyboard.press('PageUp');
  await expect.poll(cursorTop).toBeLessThan(before - (perPage - 3) * 22);
  await inView();
});

test('rows of functions sharing a name say where each lives, in their text', async ({ page }) => {
  await importsHottestPath(page);
  const modules = page.locator('.call-tree .tr [role=gridcell]:last-child', { hasText: '<module>' });
  await expect.poll(() => modules.count()).toBeGreaterThan(3);
  const texts = (await modules.allTextContents()).map((t) => t.replace(/^[▸▾]\s*/, ''));
  // Each names its file after the name: the module's file, or its package's folder for an __init__.py.
  for (const t of texts) expect(t).toMatch(/^<module> \S+\.py$/);
  const titles = await modules.evaluateAll((cells) => cells.map((c) => c.getAttribute('title') ?? ''));
  texts.forEach((t, k) => expect(titles[k]).toContain(t.slice('<module> '.length)));
  expect(new Set(texts).size).toBe(texts.length);
});

test('the Calls column stays through transforms that keep every call of the functions left, not through a focus', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  const head = page.locator('.call-tree .table-head [role=columnheader]');
  await expect(head).toContainText(['Calls']);
  await page.getByRole('button', { name: 'Transform…' }).click();
  await page.getByRole('menuitem', { name: /^Hide library code/ }).click();
  await expect(page.getByTestId('transforms')).toHaveAttribute('aria-busy', 'false');
  await expect(head).toContainText(['Calls']);
  const grid = page.getByRole('treegrid', { name: 'Call tree' });
  await grid.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('*');
  await page.keyboard.press('ArrowLeft');
  // The hottest path ends in a call of price_of, called 360 times in the run, as pstats counts it.
  await expect(cursorRow(page).locator('.c-name')).toContainText('price_of');
  await expect(cursorRow(page).locator('.c-calls')).toHaveText('360');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('transforms')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('transforms')).toContainText('Focus');
  await expect(head).not.toContainText(['Calls']);
});

test('the Call tree tab clicked while a big file loads is the view shown when it comes', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
  const lines: string[] = [];
  for (let k = 0; k < 300_000; k++)
    lines.push(`app.py:main:1;app.py:step_${k % 5000}:${k};app.py:leaf:${k} ${1 + (k % 7)}`);
  await dropFile(page, 'big.folded', Buffer.from(lines.join('\n') + '\n'));
  const loading = page.getByRole('progressbar', { name: 'Opening big.folded' });
  await expect(loading).toBeVisible();
  await page.getByRole('tab', { name: 'Call tree' }).click();
  // The click fell in the load: the profile had not come yet.
  expect(await page.getByTestId('file-name').textContent()).toContain('shop-checkout.prof');
  await expect(page.getByTestId('file-name')).toContainText('big.folded', { timeout: 60_000 });
  await expect(page.getByRole('tab', { name: 'Call tree' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('treegrid', { name: 'Call tree' })).toBeVisible();
});
