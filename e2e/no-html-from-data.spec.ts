import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { edge, func, m, stats } from '~/test/marshal-writer';
import { dropFile, tableRows, chooseFromMenu } from './helpers';
import { watchProblems } from './page-problems';

/** Names a profile may hold that are markup: rendered as HTML, each would set `window.__xss`. */
const IMG = '<img src=x onerror=window.__xss=1>';
const SCRIPT = '</script><script>window.__xss=2</script>';
const FILE = '<svg onload=window.__xss=3>.py';

const folded = [`${FILE}:${IMG}:1;${FILE}:${SCRIPT}:5 7`, `${FILE}:${IMG}:1 3`].join('\n') + '\n';
const pstats = Uint8Array.from(
  m.dict(
    [func(FILE, 1, IMG), stats(1, 1, 0.5, 3)],
    [func(FILE, 5, SCRIPT), stats(2, 2, 2.5, 2.5, [func(FILE, 1, IMG), edge(2, 2, 2.5, 2.5)])],
  ),
);

/** Hovers the root row of the flame graph until its tooltip shows. */
async function hoverRoot(page: Page) {
  const canvas = page.getByTestId('flame').locator('canvas');
  await expect(canvas).toHaveAttribute('data-painted', /\d+/);
  await expect(async () => {
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 40, box.y + box.height - 9);
    await expect(page.getByTestId('tooltip')).toBeVisible({ timeout: 500 });
  }).toPass();
}

/** The SVG export of the flame graph in view, parsed as the browser parses an SVG file. */
async function exportedSvg(page: Page) {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'SVG' }).click();
  const text = readFileSync(await (await download).path(), 'utf8');
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      elements: [...new Set(Array.from(doc.querySelectorAll('*'), (e) => e.localName))].sort(),
      handlers: Array.from(doc.querySelectorAll('*')).flatMap((e) =>
        e.getAttributeNames().filter((a) => a.startsWith('on')),
      ),
      titles: Array.from(doc.querySelectorAll('title'), (t) => t.textContent),
    };
  }, text);
}

/** Nothing the names hold ran or became an element: no flag, no img, no script of theirs, no handler attribute. */
async function nothingRan(page: Page) {
  expect(
    await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: number }).__xss ?? null,
      images: document.querySelectorAll('img').length,
      inlineScripts: document.querySelectorAll('script:not([src])').length,
      handlers: Array.from(document.querySelectorAll('*')).flatMap((e) =>
        e.getAttributeNames().filter((a) => a.startsWith('on')),
      ),
    })),
  ).toEqual({ xss: null, images: 0, inlineScripts: 0, handlers: [] });
}

for (const { format, fileName, bytes, root, child } of [
  {
    format: 'folded',
    fileName: '<img src=x onerror=window.__xss=4>.folded',
    bytes: new TextEncoder().encode(folded),
    root: `${FILE}:${IMG}:1`,
    child: `${FILE}:${SCRIPT}:5`,
  },
  {
    format: 'pstats',
    fileName: '<img src=x onerror=window.__xss=5>.prof',
    bytes: pstats,
    root: `${FILE}:1(${IMG})`,
    child: `${FILE}:5(${SCRIPT})`,
  },
]) {
  test(`${format}: names that are markup show as written in every view, and nothing of them runs`, async ({ page }) => {
    const problems = await watchProblems(page);
    await page.goto('./');
    await expect(page.getByTestId('file-name')).toBeVisible();
    await dropFile(page, fileName, bytes);
    await expect(page.getByTestId('file-name')).toContainText(fileName);
    await expect(page.getByTestId('file-name')).toHaveAttribute('title', fileName);

    const cells = (await tableRows(page)).flat();
    expect(cells.some((c) => c.includes(IMG))).toBe(true);
    expect(cells.some((c) => c.includes(SCRIPT))).toBe(true);
    await page.locator('.table-body .tr', { hasText: SCRIPT }).click();
    if (format === 'pstats') await expect(page.getByTestId('callers')).toContainText(root);

    await page.getByRole('tab', { name: 'Flame graph' }).click();
    await hoverRoot(page);
    await expect(page.getByTestId('tooltip')).toContainText(IMG);
    await expect(page.getByTestId('tooltip')).toContainText(FILE);
    await page.mouse.down();
    await page.mouse.up();
    await expect(page.getByTestId('crumbs').getByRole('button', { name: IMG })).toHaveAttribute('title', root);
    const svg = await exportedSvg(page);
    expect(svg.error).toBeNull();
    expect(svg.elements).toEqual(['g', 'rect', 'svg', 'text', 'title']);
    expect(svg.handlers).toEqual([]);
    expect(svg.titles.some((t) => t?.startsWith(`${root}\n`))).toBe(true);
    expect(svg.titles.some((t) => t?.startsWith(`${child}\n`))).toBe(true);

    // The click on the root frame selected it everywhere.
    await page.getByRole('tab', { name: 'Sandwich' }).click();
    await expect(page.locator('.sandwich h3').first()).toHaveText(`Callers of ${IMG}`);
    await expect(page.getByTestId('sandwich-callers').locator('canvas')).toHaveAttribute('data-painted', /\d+/);

    await page.getByRole('button', { name: 'Library' }).click();
    await expect(page.getByTestId('library-entry').filter({ hasText: fileName })).toHaveCount(1);
    await dropFile(page, `${fileName}.empty`, new Uint8Array());
    await expect(page.getByTestId('error')).toContainText(`Could not open “${fileName}.empty”: the file is empty.`);

    await nothingRan(page);
    expect(await problems()).toEqual([]);
  });
}

test('an address that is markup shows as written in the message, and nothing of it runs', async ({ page }) => {
  const problems = await watchProblems(page);
  const address = `javascript:${IMG}`;
  await page.goto(`./?url=${encodeURIComponent(address)}`);
  await expect(page.getByTestId('error')).toContainText(`“${address}” is not an http or https address:`);
  await nothingRan(page);
  expect(await problems()).toEqual([]);
});

test('bidirectional controls in names are shown as their code points, not obeyed', async ({ page }) => {
  await page.goto('./');
  const spoof = 'invoice\u202Egnp.exe';
  await dropFile(page, `${spoof}.folded`, new TextEncoder().encode(`/srv/app.py:${spoof}:3;/srv/app.py:work:9 5\n`));
  await expect(page.getByTestId('file-name')).toContainText('invoice[U+202E]gnp.exe.folded');
  const rows = await tableRows(page);
  expect(rows.map((r) => r[4])).toContain('invoice[U+202E]gnp.exe');
  // Searches, the filter and exports still see the name as it is.
  await page.getByLabel('Filter functions').fill('\u202E');
  await expect(page.getByTestId('row-count')).toHaveText('1 of 2 functions');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    chooseFromMenu(page, 'Export…', 'Table as CSV'),
  ]);
  expect(readFileSync(await download.path(), 'utf8')).toContain(`,${spoof},/srv/app.py`);

  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-entry').first()).toContainText('invoice[U+202E]gnp.exe.folded');
  await dropFile(page, `${spoof}.prof`, new Uint8Array([0x7b, 0xff]));
  await expect(page.getByTestId('error')).toContainText('Could not open “invoice[U+202E]gnp.exe.prof”');
});
