import { mkdirSync, mkdtempSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatDuration, formatWeight } from '~/src/weights';
import { chooseFromMenu, dropTransfer, fixturesDir, folderOfRuns } from './helpers';
import { statsOf } from '~/test/stats-add';
import type { PstatsFunc, PstatsJson } from '~/core/export/pstats-json';

const prof = (name: string) => resolve(fixturesDir, `pstats/out/${name}.prof`);
const totalTt = (name: string): number =>
  (JSON.parse(readFileSync(resolve(fixturesDir, `pstats/out/${name}.json`), 'utf8')) as { total_tt: number }).total_tt;

/** pstats' name of a function, as the table's CSV writes it. */
const labelOf = ([file, line, name]: PstatsFunc) =>
  file === '~' && line === 0 ? (name.startsWith('<') ? `{${name.slice(1, -1)}}` : name) : `${file}:${line}(${name})`;

/** The cells of a line of CSV. */
function csvCells(line: string): string[] {
  const cells = [''];
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') cells[cells.length - 1] += line[i++];
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) cells.push('');
    else cells[cells.length - 1] += c;
  }
  return cells;
}

const setRowNames = (page: Page) => page.getByTestId('set-row').locator('.set-name').allTextContents();

test('files dropped together are listed slowest first, bad ones with their message; two merge', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  const names = ['seeds-py311-cprofile', 'recursion-py311-cprofile', 'objects-py311-cprofile'];
  const files = [
    ...names.map((n) => ({ name: `${n}.prof`, data: Array.from(readFileSync(prof(n))) })),
    { name: 'notes.txt', data: Array.from(Buffer.from('just some notes')) },
  ];
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.data)], f.name));
    return dt;
  }, files);
  await dropTransfer(page, transfer);

  await expect(page.getByTestId('set-row')).toHaveCount(4);
  const slowestFirst = [...names].sort((a, b) => totalTt(b) - totalTt(a)).map((n) => `${n}.prof`);
  expect(await setRowNames(page)).toEqual([...slowestFirst, 'notes.txt']);
  const first = page.getByTestId('set-row').first();
  await expect(first).toContainText(formatDuration(totalTt(slowestFirst[0].replace('.prof', ''))));
  await expect(page.getByTestId('set-row').last()).toContainText('notes.txt');
  await expect(page.getByTestId('error')).toContainText('1 of 4 files could not be read');
  // The whole set, merged, is shown.
  await expect(page.getByTestId('file-name')).toContainText('4 files (4 merged)');

  // Sorted by name, A to Z.
  await page.getByRole('button', { name: 'Profile', exact: true }).click();
  expect(await setRowNames(page)).toEqual([...names.map((n) => `${n}.prof`)].sort().concat('notes.txt'));

  await page.getByLabel('Select seeds-py311-cprofile.prof').check();
  await page.getByLabel('Select recursion-py311-cprofile.prof').check();
  await page.getByRole('button', { name: 'Merge selected (2)' }).click();
  await expect(page.getByTestId('file-name')).toContainText('4 files (2 merged)');

  // A name opens that profile alone, the list still there.
  await page.getByRole('button', { name: 'objects-py311-cprofile.prof', exact: true }).click();
  await expect(page.getByTestId('file-name')).toContainText('objects-py311-cprofile.prof');
  await expect(page.getByTestId('set-list')).toBeVisible();

  // The ticked files against the rest, each merged; the rest is the baseline unless chosen otherwise.
  await expect(page.getByLabel('Baseline group')).toHaveValue('not selected');
  await expect(page.getByLabel('New group')).toHaveValue('selected');
  await page.getByRole('button', { name: 'Compare groups' }).click();
  await expect(page.getByTestId('compare-totals')).toContainText('not selected (1 merged) → selected (2 merged)');
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await page.getByLabel('New group').selectOption('not selected');
  await expect(page.getByLabel('Baseline group')).toHaveValue('not selected');
  await expect(page.getByRole('button', { name: 'Compare groups' })).toBeDisabled();
});

test('a dropped folder of two folders: the "before" group compared with the "after" group, each merged', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  const before = ['seeds-py311-cprofile', 'recursion-py311-cprofile'],
    after = ['seeds-py312-cprofile', 'recursion-py312-cprofile'];
  const folder = (name: string, files: string[]) => ({
    name,
    files: files.map((f) => ({ name: `${f}.prof`, data: Array.from(readFileSync(prof(f))) })),
  });
  // A folder can only be dropped from the desktop: its entries are made here as the browser hands them over.
  await page.evaluate(
    (folders) => {
      const fileEntry = (dir: string, f: { name: string; data: number[] }) => ({
        isFile: true,
        isDirectory: false,
        name: f.name,
        fullPath: `/${dir}/${f.name}`,
        file: (ok: (file: File) => void) => ok(new File([new Uint8Array(f.data)], f.name)),
      });
      const dirEntry = (d: (typeof folders)[number]) => {
        // Handed out one entry at a time, as a reader may, then none.
        const batches = [...d.files.map((f) => [fileEntry(d.name, f)]), []];
        return {
          isFile: false,
          isDirectory: true,
          name: d.name,
          fullPath: `/${d.name}`,
          createReader: () => ({ readEntries: (ok: (e: unknown[]) => void) => ok(batches.shift() ?? []) }),
        };
      };
      const drop = new Event('drop', { bubbles: true, cancelable: true });
      const items = folders.map((d) => ({ webkitGetAsEntry: () => dirEntry(d) }));
      Object.defineProperty(drop, 'dataTransfer', { value: { items, files: [], types: ['Files'] } });
      document.body.dispatchEvent(drop);
    },
    [folder('before', before), folder('after', after)],
  );
  await expect(page.getByTestId('set-row')).toHaveCount(4);
  await expect(page.getByTestId('file-name')).toContainText('before + after (4 merged)');
  await page.getByLabel('Baseline group').selectOption('before');
  await page.getByLabel('New group').selectOption('after');
  await page.getByRole('button', { name: 'Compare groups' }).click();
  const sum = (names: string[]) => names.reduce((n, f) => n + totalTt(f), 0);
  const change = (100 * (sum(after) - sum(before))) / sum(before);
  await expect(page.getByTestId('compare-totals')).toContainText(
    `before (2 merged) → after (2 merged): ${formatWeight('seconds', sum(before))} → ${formatWeight('seconds', sum(after))} (${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(1)} %)`,
  );
  await page.getByRole('tab', { name: 'Diff flame graph' }).click();
  await expect(page.getByTestId('diff-flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
});

test('a folder picked with the folder picker opens as a set, grouped by its folders', async ({ page }) => {
  const runs = folderOfRuns([
    ['before', ['seeds-py311-cprofile', 'objects-py311-cprofile']],
    ['after', ['seeds-py312-cprofile']],
  ]);
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  await page.getByTestId('folder-input').setInputFiles(runs);
  await expect(page.getByTestId('set-row')).toHaveCount(3);
  await expect(page.getByTestId('file-name')).toContainText('runs (3 merged)');
  await expect(page.getByLabel('Baseline group')).toContainText('runs/after (1)');
  await expect(page.getByLabel('Baseline group')).toContainText('runs/before (2)');
});

test('a set of a thousand files draws only the rows in view; keys and sorting reach all of them', async ({ page }) => {
  const count = 1000;
  const dir = join(mkdtempSync(join(tmpdir(), 'kiln-set-')), 'thousand');
  mkdirSync(dir);
  const sources = ['seeds-py311-cprofile', 'seeds-py312-cprofile'];
  for (let i = 0; i < count; i++)
    copyFileSync(prof(sources[i % 2]), join(dir, `GET.${String(i).padStart(4, '0')}.prof`));
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('file-name')).toContainText(`thousand (${count} merged)`, { timeout: 60_000 });
  await expect(page.getByTestId('set-list')).toContainText(`${count} of ${count} profiles read`);

  // The merge read by the workers (helpers included) is pstats.Stats(*files), number for number.
  const truthOf = (name: string) =>
    JSON.parse(readFileSync(resolve(fixturesDir, `pstats/out/${name}.json`), 'utf8')) as PstatsJson;
  const merged = statsOf(Array.from({ length: count }, (_, i) => truthOf(sources[i % 2])));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    chooseFromMenu(page, 'Export…', 'Table as CSV'),
  ]);
  const rows = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map(csvCells);
  const exported = new Map(rows.map((r) => [r[8], [r[0], r[1], r[2], r[5]].map(Number)]));
  expect(exported.size).toBe(merged.entries.length);
  for (const e of merged.entries)
    expect(exported.get(labelOf(e.func)), labelOf(e.func)).toEqual([e.nc, e.cc, e.tt, e.ct]);

  const drawn = await page.getByTestId('set-row').count();
  expect(drawn).toBeGreaterThan(5);
  expect(drawn).toBeLessThan(60);
  const heights = await page
    .getByTestId('set-row')
    .evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
  expect(new Set(heights)).toEqual(new Set([22]));

  // Slowest first: py311's run took longer, so its 500 copies lead; ties by name.
  const slower = totalTt(sources[0]) > totalTt(sources[1]) ? 0 : 1;
  const nameAt = (i: number) => `thousand/GET.${String(i).padStart(4, '0')}.prof`;
  const slowest = Array.from({ length: count }, (_, i) => i).filter((i) => i % 2 === slower);
  const fastest = Array.from({ length: count }, (_, i) => i).filter((i) => i % 2 !== slower);
  expect((await setRowNames(page))[0]).toBe(nameAt(slowest[0]));

  // Keys move through every row, drawing those it reaches.
  const list = page.getByLabel(/^The list of profiles/);
  await list.focus();
  await page.keyboard.press('End');
  await expect(page.locator('.set-table .cursor .set-name')).toHaveText(nameAt(fastest[fastest.length - 1]));
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Merge selected (2)' })).toBeEnabled();
  await expect(page.getByLabel(`Select ${nameAt(fastest[fastest.length - 2])}`)).toBeChecked();
  expect(await page.getByTestId('set-row').count()).toBeLessThan(60);
  await page.keyboard.press('Home');
  await page.keyboard.press('PageDown');
  const chosen = await page.locator('.set-table .cursor .set-name').textContent();
  expect(chosen).not.toBe(nameAt(slowest[0]));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('file-name')).toContainText(chosen!);

  // Sorted by name, the last name is at the end of the scroll range.
  await page.getByRole('button', { name: 'Profile', exact: true }).click();
  expect((await setRowNames(page))[0]).toBe(nameAt(0));
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.getByTestId('set-row').last().locator('.set-name')).toHaveText(nameAt(count - 1));
  expect(await page.getByTestId('set-row').count()).toBeLessThan(60);
});
