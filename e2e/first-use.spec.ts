import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dropFile } from './helpers';

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

test('a number cut short shows whole on hover, a column widens by its title’s edge, and 100.1 % says why', async ({
  page,
}) => {
  await openSample(page);
  const main = page.locator('.table-body .tr', { hasText: 'checkout.py:54(main)' });
  const cumPercent = main.locator('.td').nth(5);
  await expect(cumPercent).toHaveText('100.1%');
  await expect(cumPercent).toHaveAttribute('title', /^100\.1%\nAbove 100 %: cumtime is timed from each call’s start/);
  // A share that is not above 100 % has no such note.
  await expect(main.locator('.td').nth(2)).not.toHaveAttribute('title', /Above 100/);

  const header = page.locator('.th[data-column="ncalls"]');
  const sortBefore = await page.locator('.th[aria-sort="descending"]').getAttribute('data-column');
  const dragEdge = async (to: number) => {
    const box = (await header.locator('.col-resize').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + to, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
  };
  const cells = page.locator('.table-body .tr .td:first-child');
  const cut = () =>
    cells.evaluateAll((els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => [e.textContent, e.getAttribute('title')]),
    );
  // Narrowed, the call counts are cut short; each still says its whole value on hover.
  await dragEdge(-60);
  await expect.poll(async () => (await cut()).length).toBeGreaterThan(0);
  for (const [text, title] of await cut()) expect(title).toBe(text);
  expect(await page.locator('.th[aria-sort="descending"]').getAttribute('data-column')).toBe(sortBefore);
  // Widened, none is.
  await dragEdge(150);
  await expect.poll(async () => (await header.boundingBox())!.width).toBeGreaterThan(150);
  expect(await cut()).toEqual([]);
  expect(await page.locator('.th[aria-sort="descending"]').getAttribute('data-column')).toBe(sortBefore);
});

test('the comparison’s Δ% reads "new" and "gone" for a function only one side has', async ({ page }) => {
  await openSample(page);
  await page.getByRole('button', { name: 'Open a sample profile' }).click();
  await page.getByRole('menuitem', { name: /^shop-checkout-fixed\.prof/ }).click();
  await expect(page.getByTestId('compare-totals')).toContainText('shop-checkout.prof → shop-checkout-fixed.prof');
  const statusCells = page.locator('.table-body .tr .td:nth-child(2)');
  await expect(statusCells.filter({ hasText: /^(new|gone)$/ }).first()).toBeVisible();
  const rows = await page.$$eval('.table-body .tr', (trs) =>
    trs.map((tr) => Array.from(tr.children, (c) => c.textContent ?? '')),
  );
  const onlyOneSide = rows.filter((r) => r[1] === 'new' || r[1] === 'gone');
  expect(onlyOneSide.length).toBeGreaterThan(0);
  // Δ% is the sixth column and every fourth after it.
  for (const r of onlyOneSide) for (let i = 5; i < r.length; i += 4) expect(r[i]).toBe(r[1]);
});

/** Stacks 61 frames deep, main → f001 → … → f060, beside a short branch: taller than the window. */
const deepStacks = () => {
  const chain = Array.from({ length: 60 }, (_, i) => `f${String(i + 1).padStart(3, '0')}`);
  return Buffer.from(`main;${chain.join(';')} 10\nmain;short 5\n`);
};

test('graph view state: each orientation opens at its root, a search shows its match, more rows are said, a reload keeps the zoom', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  await dropFile(page, 'deep.folded', deepStacks());
  await expect(page.getByTestId('file-name')).toContainText('deep.folded');
  const above = page.getByTestId('more-above'),
    below = page.getByTestId('more-below');
  const canvas = page.getByTestId('flame').locator('canvas');

  await page.getByRole('tab', { name: 'Flame graph' }).click();
  await expect(canvas).toHaveAttribute('data-painted', /\d+/);
  await expect(above).toHaveText(/^▲ \d+ more rows above/);
  await expect(below).toBeHidden();
  // Panned up the stack, the root goes out of view below.
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + 100);
  await page.mouse.down();
  await page.mouse.move(box.x + 40, box.y + 400, { steps: 6 });
  await page.mouse.up();
  await expect(below).toHaveText(/^▼ \d+ more rows below/);

  // The icicle opens at its root, at the top, whatever the flame graph's pan.
  await page.getByRole('tab', { name: 'Icicle' }).click();
  await expect(above).toBeHidden();
  await expect(below).toHaveText(/^▼ \d+ more rows below/);
  await page.mouse.move(box.x + box.width / 2, box.y + 9);
  await expect(page.getByTestId('tooltip')).toContainText('main');
  await page.getByRole('tab', { name: 'Flame graph' }).click();
  await expect(below).toBeHidden();

  // A search for the deepest frame scrolls its row into view.
  await page.getByTestId('graph-search').fill('f060');
  await expect(page.getByTestId('matched')).toHaveText('66.7 % matched');
  await expect(above).toBeHidden();
  await expect(below).toHaveText(/^▼ \d+ more rows below/);
  await page.getByTestId('graph-search').fill('');

  // Zoomed in the icicle, a reload keeps the zoom and the selection.
  await page.getByRole('tab', { name: 'Icicle' }).click();
  await page.mouse.click(box.x + box.width * 0.3, box.y + 18 + 9);
  const crumbs = page.getByTestId('crumbs').getByRole('button');
  await expect(crumbs).toHaveText(['all', 'main', 'f001']);
  await expect.poll(() => new URL(page.url()).hash).toMatch(/zoom=\d+\.\d+/);
  await page.reload();
  await expect(page.getByTestId('file-name')).toContainText('deep.folded');
  await expect(crumbs).toHaveText(['all', 'main', 'f001']);
  await expect(page.getByRole('tab', { name: 'Icicle' })).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => new URL(page.url()).hash).toMatch(/sel=\d+/);
});

test('keyboard in a graph: a visible focus ring, the focused frame’s values as on hover, names for a screen reader', async ({
  page,
}) => {
  await openSample(page);
  await page.getByRole('tab', { name: 'Icicle' }).click();
  const graph = page.getByTestId('flame');
  await expect(graph.locator('canvas')).toHaveAttribute('data-painted', /\d+/);
  await expect(graph.getByRole('img', { name: 'Icicle of shop-checkout.prof' })).toBeVisible();
  await expect(graph).toHaveAttribute('aria-label', /^Icicle of shop-checkout\.prof: arrows move/);

  await graph.focus();
  await page.keyboard.press('ArrowDown');
  await expect(graph).toHaveCSS('outline-style', 'solid');
  await expect(graph).toHaveCSS('outline-width', '2px');
  const focused = page.getByTestId('focused-frame');
  await expect(focused).toHaveAttribute('aria-live', 'polite');
  const shown = focused.getByTestId('tooltip');
  await expect(shown).toBeVisible();
  const keyboardText = await shown.innerText();
  expect(keyboardText).toMatch(/total: [\d.]+ \S+ \([\d.]+ %\)/);

  // The same frame hovered shows the same values.
  const name = keyboardText.split('\n')[0];
  const canvas = graph.locator('canvas');
  const box = (await canvas.boundingBox())!;
  let hovered = '';
  for (let x = 4; x < box.width && !hovered.startsWith(`${name}\n`); x += 6) {
    await page.mouse.move(box.x + x, box.y + 18 + 9);
    hovered =
      (await page
        .getByTestId('tooltip')
        .innerText()
        .catch(() => '')) || '';
  }
  expect(hovered).toBe(keyboardText);
  await expect(focused.getByTestId('tooltip')).toBeHidden();
});

test('exports stand alone: a PNG cropped to the rows drawn under its title, and the diff’s modes kept in the address', async ({
  page,
}) => {
  await openSample(page);
  await page.getByRole('tab', { name: 'Flame graph' }).click();
  const canvas = page.getByTestId('flame').locator('canvas');
  await expect(canvas).toHaveAttribute('data-painted', /\d+/);
  const png = page.waitForEvent('download');
  await page.getByRole('button', { name: 'PNG' }).click();
  const bytes = readFileSync((await (await png).path())!).toString('base64');
  const image = await page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))]));
    const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    // Rows of pixels holding something other than the background, top to bottom.
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const inked: number[] = [];
    for (let y = 0; y < bitmap.height; y++)
      for (let x = 0; x < bitmap.width; x++) {
        const k = 4 * (y * bitmap.width + x);
        if (Math.abs(data[k] - data[0]) + Math.abs(data[k + 1] - data[1]) + Math.abs(data[k + 2] - data[2]) > 60) {
          inked.push(y);
          break;
        }
      }
    return { width: bitmap.width, height: bitmap.height, inked, ratio: devicePixelRatio };
  }, bytes);
  const shown = (await canvas.boundingBox())!;
  expect(image.width).toBe(Math.round(shown.width * image.ratio));
  // The sample's graph is a few rows deep: the image is its title, its key and those rows, no more.
  expect(image.height).toBeLessThan(shown.height / 2);
  expect(image.inked[0]).toBeLessThan(20);
  expect(image.height - image.inked[image.inked.length - 1]).toBeLessThan(16);

  await page.getByRole('button', { name: 'Open a sample profile' }).click();
  await page.getByRole('menuitem', { name: /^shop-checkout-fixed\.prof/ }).click();
  await page.getByRole('tab', { name: 'Diff flame graph' }).click();
  await page.getByLabel('drawn over the baseline').check();
  await page.getByLabel('as shares of each total').check();
  await expect.poll(() => new URL(page.url()).hash).toMatch(/shares=1&drawn=baseline/);
  await page.reload();
  await expect(page.getByTestId('diff-flame')).toBeVisible();
  await expect(page.getByLabel('drawn over the baseline')).toBeChecked();
  await expect(page.getByLabel('as shares of each total')).toBeChecked();

  const svg = page.waitForEvent('download');
  await page.getByTestId('diff-flame').getByRole('button', { name: 'SVG' }).click();
  const texts = await page.evaluate(
    (text) =>
      Array.from(
        new DOMParser().parseFromString(text, 'image/svg+xml').querySelectorAll('text.header'),
        (t) => t.textContent,
      ),
    readFileSync((await (await svg).path())!, 'utf8'),
  );
  expect(texts[0]).toBe('shop-checkout.prof → shop-checkout-fixed.prof — diff flame graph, over the baseline');
  expect(texts).toEqual(expect.arrayContaining(['smaller share than before', 'unchanged', 'larger share than before']));
  expect(texts.some((t) => /^shop-checkout\.prof → shop-checkout-fixed\.prof: .+ → .+ \(−/.test(t!))).toBe(true);
});

test('the first screen says what to drop: one command per profiler, on the empty page and beside the sample', async ({
  page,
}) => {
  const commands = [
    'python -m cProfile -o out.prof app.py',
    'python -m profiling.sampling run -a --binary -o out.bin app.py',
    'py-spy record --format speedscope -o out.json -- python app.py',
    'pyinstrument -r pstats -o out.prof app.py',
    'austin -o out.austin python app.py',
    'python -m yappi -o out.prof app.py',
  ];
  await page.goto('./?url=hello');
  await expect(page.getByTestId('error')).toBeVisible();
  const empty = page.locator('.empty');
  await expect(empty).toContainText('Drop a Python profile anywhere on this page');
  await expect(empty.getByTestId('profiler-commands').locator('code')).toHaveText(commands);

  await openSample(page);
  const note = page.getByTestId('sample-note');
  await note.getByText('Profile your own code').click();
  await expect(note.getByTestId('profiler-commands').locator('code')).toHaveText(commands);
});
