import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JSHandle, Page } from '@playwright/test';

export const fixturesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures');

/** Drops bytes on the page the way a user drops a file from the desktop. */
export async function dropFile(page: Page, name: string, bytes: Buffer | Uint8Array): Promise<void> {
  // Base64 crosses into the page as one string; an array of numbers took seconds per megabyte.
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name));
      return dt;
    },
    { name, data },
  );
  await dropTransfer(page, transfer);
}

/** Drops the files of a DataTransfer made in the page. */
export async function dropTransfer(page: Page, transfer: JSHandle<DataTransfer>): Promise<void> {
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
}

export async function dropFixture(page: Page, relative: string): Promise<void> {
  const path = resolve(fixturesDir, relative);
  await dropFile(page, basename(path), readFileSync(path));
}

/** The text of the visible table rows, top to bottom. */
export async function tableRows(page: Page): Promise<string[][]> {
  return page.$$eval('.table-body .tr', (rows) =>
    rows
      .map((r) => ({
        top: parseFloat((r as HTMLElement).style.top),
        cells: Array.from(r.children, (c) => c.textContent ?? ''),
      }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.cells),
  );
}

/** Opens the menu button named `menu` and chooses the item whose text starts with `item`. */
export async function chooseFromMenu(page: Page, menu: string, item: string): Promise<void> {
  await page.getByRole('button', { name: menu }).click();
  const escaped = item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.getByRole('menuitem', { name: new RegExp(`^${escaped}`) }).click();
}

/**
 * A folder `runs` in a new temporary folder, holding a subfolder per group with copies of the
 * named pstats fixtures, written in the order given; returns its path.
 */
export function folderOfRuns(groups: readonly (readonly [string, readonly string[]])[]): string {
  const runs = join(mkdtempSync(join(tmpdir(), 'kiln-runs-')), 'runs');
  for (const [dir, names] of groups) {
    mkdirSync(join(runs, dir), { recursive: true });
    for (const n of names) copyFileSync(resolve(fixturesDir, `pstats/out/${n}.prof`), join(runs, dir, `${n}.prof`));
  }
  return runs;
}
