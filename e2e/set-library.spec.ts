import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { dropFixture, fixturesDir } from './helpers';
import { setRecords } from './library-db';

const NAMES = [
  'seeds-py311-cprofile',
  'seeds-py312-cprofile',
  'recursion-py311-cprofile',
  'recursion-py312-cprofile',
  'objects-py311-cprofile',
  'objects-py312-cprofile',
];
const prof = (name: string) => resolve(fixturesDir, `pstats/out/${name}.prof`);
const totalCalls = (name: string): number =>
  (JSON.parse(readFileSync(resolve(fixturesDir, `pstats/out/${name}.json`), 'utf8')) as { total_calls: number })
    .total_calls;

const rowNames = (page: Page) => page.getByTestId('set-row').locator('.set-name').allTextContents();
const rowTexts = (page: Page) => page.getByTestId('set-row').allTextContents();

async function showLibrary(page: Page) {
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library')).toBeVisible();
}

test('a folder opened as a set is one library entry: it reopens whole after a reload, and deleting it deletes all it holds', async ({
  page,
}) => {
  const requests = join(mkdtempSync(join(tmpdir(), 'kiln-set-')), 'requests');
  mkdirSync(requests);
  for (const n of NAMES) copyFileSync(prof(n), join(requests, `${n}.prof`));
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  await page.getByTestId('folder-input').setInputFiles(requests);
  await expect(page.getByTestId('file-name')).toContainText(`requests (${NAMES.length} merged)`);
  await expect(page.getByTestId('set-row')).toHaveCount(NAMES.length);
  const calls = NAMES.reduce((n, f) => n + totalCalls(f), 0);
  await expect(page.getByTestId('summary')).toContainText(`${calls} function calls`);
  const [names, rows, summary] = [
    await rowNames(page),
    await rowTexts(page),
    await page.getByTestId('summary').textContent(),
  ];
  // Kept once drawn: one entry, the set's files and list, and its merge.
  await expect.poll(() => setRecords(page)).toEqual({ entries: 1, sets: 1, models: 1 });

  // A reload reopens the set opened last, from the library, the files no longer picked.
  await page.reload();
  await expect(page.getByTestId('file-name')).toContainText(`requests (${NAMES.length} merged)`);
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
  await expect(page.getByTestId('set-row')).toHaveCount(NAMES.length);
  expect(await rowNames(page)).toEqual(names);
  expect(await rowTexts(page)).toEqual(rows);
  await expect(page.getByTestId('summary')).toHaveText(summary!);

  // A file of it opens from the kept bytes, and its model is kept with the set, not as an entry of its own.
  await page.getByRole('button', { name: 'requests/seeds-py312-cprofile.prof', exact: true }).click();
  await expect(page.getByTestId('file-name')).toContainText('requests/seeds-py312-cprofile.prof');
  await expect(page.getByTestId('summary')).toContainText(`${totalCalls('seeds-py312-cprofile')} function calls`);
  await expect.poll(() => setRecords(page)).toEqual({ entries: 1, sets: 1, models: 2 });

  // Another profile, then the set again from the library: the same list, the same merge.
  await dropFixture(page, 'pstats/out/merged-py312-cprofile.prof');
  await expect(page.getByTestId('file-name')).toContainText('merged-py312-cprofile.prof');
  await expect(page.getByTestId('set-list')).toHaveCount(0);
  await showLibrary(page);
  const entry = page.getByTestId('library-entry').filter({ hasText: `a set of ${NAMES.length} files` });
  await expect(entry).toHaveCount(1);
  await entry.getByRole('button', { name: /^requests/ }).click();
  await expect(page.getByTestId('file-name')).toContainText(`requests (${NAMES.length} merged)`);
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
  expect(await rowTexts(page)).toEqual(rows);
  await expect(page.getByTestId('summary')).toHaveText(summary!);

  await showLibrary(page);
  await page.getByRole('button', { name: 'Delete requests' }).click();
  await expect(page.getByTestId('library-entry').filter({ hasText: 'a set of' })).toHaveCount(0);
  expect(await setRecords(page)).toEqual({ entries: 0, sets: 0, models: 0 });
});
