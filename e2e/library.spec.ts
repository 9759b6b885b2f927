import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { dropFile, dropFixture, fixturesDir } from './helpers';
import { dropLargeFolded } from './large-file';
import { controlledByServiceWorker } from './service-worker';
import { kept } from './library-db';

const SEEDS = 'pstats/out/seeds-py312-cprofile.prof';
const SEEDS_SUMMARY = '131 function calls in 0.034 seconds';
const FOLDED = 'folded/sampler-py311.folded';

/** Opens the app and waits for the first profile (the sample, in a fresh context). */
async function start(page: Page) {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
}

const library = (page: Page) => page.getByTestId('library');
const entries = (page: Page) => page.getByTestId('library-entry');

async function showLibrary(page: Page) {
  if (!(await library(page).isVisible())) await page.getByRole('button', { name: 'Library' }).click();
  await expect(library(page)).toBeVisible();
}

async function openFromLibrary(page: Page, name: string) {
  await showLibrary(page);
  await entries(page)
    .getByRole('button', { name: new RegExp(`^${name.replace(/\./g, '\\.')}`) })
    .click();
  await expect(page.getByTestId('file-name')).toContainText(name);
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
}

test('once the app has loaded, opening, browsing and reopening profiles sends no request at all', async ({
  page,
  context,
}) => {
  await start(page);
  await controlledByServiceWorker(page);
  const requests: string[] = [];
  context.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  page.on('websocket', (w) => requests.push(`websocket ${w.url()}`));

  await dropFixture(page, SEEDS);
  await expect(page.getByTestId('summary')).toHaveText(SEEDS_SUMMARY);
  await page.locator('.th[data-column="tottime"]').click();
  await page.locator('.table-body .tr', { hasText: 'workloads.py:64(work)' }).click();
  await expect(page.getByTestId('callers')).toContainText('Called by (2)');
  await page.getByLabel('Filter functions').fill('work');
  await page.getByRole('tab', { name: 'Flame graph' }).click();
  await expect(page.getByTestId('flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);

  await dropFixture(page, FOLDED);
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await openFromLibrary(page, 'seeds-py312-cprofile.prof');
  await expect(page.getByTestId('summary')).toHaveText(SEEDS_SUMMARY);
  await openFromLibrary(page, 'shop-checkout.prof');
  await dropFixture(page, FOLDED);
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');

  expect(requests).toEqual([]);
});

test('the same bytes are one entry; the list is newest first, searchable, and entries delete one by one or all at once', async ({
  page,
}) => {
  await start(page);
  // Each is kept once the page is idle after showing it: the list's order is the order they were kept.
  await kept(page, 'shop-checkout.prof');
  await dropFixture(page, SEEDS);
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'file');
  await kept(page, 'seeds-py312-cprofile.prof');
  // The same bytes under another name come back from the library, parsed once.
  await dropFile(page, 'renamed.prof', readFileSync(resolve(fixturesDir, SEEDS)));
  await expect(page.getByTestId('file-name')).toContainText('renamed.prof');
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
  await expect(page.getByTestId('summary')).toHaveText(SEEDS_SUMMARY);
  await dropFixture(page, FOLDED);
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');

  await showLibrary(page);
  await expect(entries(page).locator('.library-name')).toHaveText([
    'sampler-py311.folded',
    'seeds-py312-cprofile.prof',
    'shop-checkout.prof',
  ]);
  const size = readFileSync(resolve(fixturesDir, SEEDS)).length;
  await expect(entries(page).nth(1)).toContainText(`${(size / 1000).toPrecision(3)} KB · pstats`);
  await expect(page.getByTestId('library-status')).toContainText(
    /used of .* (kept until you delete it|the browser may clear it)/,
  );

  await page.getByLabel('Search the library').fill('SHOP');
  await expect(entries(page).locator('.library-name')).toHaveText(['shop-checkout.prof']);
  await page.getByLabel('Search the library').fill('');

  await page.getByRole('button', { name: 'Delete seeds-py312-cprofile.prof' }).click();
  await expect(entries(page).locator('.library-name')).toHaveText(['sampler-py311.folded', 'shop-checkout.prof']);
  await page.getByRole('button', { name: 'Delete all…' }).click();
  await page.getByRole('button', { name: 'Delete all 2' }).click();
  await expect(entries(page)).toHaveCount(0);
  await expect(library(page)).toContainText('Profiles you open are kept here');
  // What is on screen stays open.
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
});

test('a large file is shown first and kept after; dropped again, it is one entry', async ({ page }) => {
  test.setTimeout(60_000);
  await start(page);
  await dropLargeFolded(page, 'big.folded', 20);
  await expect(page.getByTestId('file-name')).toContainText('big.folded');
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'file');
  // 120,000 functions: the table draws the rows in view, not all of them.
  await expect(page.getByTestId('row-count')).toHaveText('120,000 of 120,000 functions');
  expect(await page.locator('.table-body .tr').count()).toBeLessThan(100);
  await showLibrary(page);
  await expect(entries(page).locator('.library-name')).toHaveText(['big.folded', 'shop-checkout.prof']);
  await openFromLibrary(page, 'shop-checkout.prof');
  await dropLargeFolded(page, 'big-again.folded', 20);
  await expect(page.getByTestId('file-name')).toContainText('big-again.folded');
  await expect(page.getByTestId('error')).toHaveCount(0);
  await showLibrary(page);
  await expect(entries(page).locator('.library-name')).toHaveText(['big.folded', 'shop-checkout.prof']);
  // Found in the library by its hash once on screen: its entry is dated, so a reload reopens it.
  // A reload before then would stop the hash, so the test waits for the date in the database.
  await kept(page, 'big.folded', { last: true });
  await page.reload();
  await expect(page.getByTestId('file-name')).toContainText('big.folded');
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
  await expect(page.getByTestId('row-count')).toHaveText('120,000 of 120,000 functions');
});

test('a reload reopens the last profile from the library, in the view it was left in', async ({ page }) => {
  await start(page);
  await dropFixture(page, SEEDS);
  await expect(page.getByTestId('summary')).toHaveText(SEEDS_SUMMARY);
  await page.locator('.table-body .tr', { hasText: 'workloads.py:64(work)' }).click();
  await page.locator('.th[data-column="ncalls"]').click();
  // The address follows the view after the next paint; reload only once it has.
  await expect(page).toHaveURL(/sort=-ncalls/);
  await kept(page, 'seeds-py312-cprofile.prof', { last: true });
  await page.reload();
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
  await expect(page.locator('.selected-name')).toHaveText(/workloads\.py:64\(work\)$/);
  await expect(page.locator('.th[data-column="ncalls"]')).toHaveAttribute('aria-sort', 'descending');
  // The library keeps the estimated tree with the profile.
  await page.getByRole('tab', { name: 'Flame graph' }).click();
  await expect(page.getByTestId('flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
  await expect(page.getByTestId('tree-pending')).toHaveCount(0);
});

test('a corrupt library entry is removed with a message, and the page stays usable', async ({ page }) => {
  await start(page);
  await kept(page, 'shop-checkout.prof');
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const request = indexedDB.open('kiln-library');
      request.onsuccess = () => done(request.result);
      request.onerror = () => fail(request.error);
    });
    const tx = db.transaction(['entries', 'models'], 'readwrite');
    const hash = 'f'.repeat(64);
    const later = Date.now() + 60_000;
    tx.objectStore('entries').put({
      hash,
      name: 'broken.prof',
      size: 4,
      format: 'pstats',
      added: later,
      lastOpened: later,
      file: new Blob(['junk']),
    });
    tx.objectStore('models').put({ format: 'pstats', frames: { count: 3 } }, hash);
    await new Promise((done) => (tx.oncomplete = done));
    db.close();
  });
  await page.reload();
  await expect(page.getByTestId('error')).toContainText(
    'Could not open “broken.prof”: its copy in the library could not be read and has been removed.',
  );
  await showLibrary(page);
  await expect(entries(page).locator('.library-name')).toHaveText(['shop-checkout.prof']);
  await openFromLibrary(page, 'shop-checkout.prof');
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('with the storage quota full, a dropped profile still opens and the message says it was not kept', async ({
  page,
}) => {
  // Chromium gives a test context a fixed quota; a full one is simulated the way browsers report it.
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args: Parameters<typeof put>) {
      if ((window as { storageFull?: boolean }).storageFull && this.name === 'models') {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
  await start(page);
  // The sample is kept once it has been drawn: the storage fills after that.
  await kept(page, 'shop-checkout.prof');
  await page.evaluate(() => ((window as { storageFull?: boolean }).storageFull = true));

  await dropFixture(page, SEEDS);
  await expect(page.getByTestId('summary')).toHaveText(SEEDS_SUMMARY);
  await expect(page.getByTestId('error')).toContainText(
    '“seeds-py312-cprofile.prof” is open but was not kept in the library: the storage this browser gives the page is full',
  );
  await showLibrary(page);
  await expect(entries(page).locator('.library-name')).toHaveText(['shop-checkout.prof']);
});
