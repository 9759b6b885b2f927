/**
 * Reopening a profile from the library after a reload: the file is opened once and kept, the
 * sample opened again (so that it, not the file, is what a reload shows), the page reloaded, and
 * the file's entry clicked in the library's list. Timed from that click.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { keptNames } from '~/e2e/library-db';
import { launch, warmUpWaiting } from './browser';
import { readProbe } from './probe';
import { summarizeTrace } from './trace-summary';
import { handOffToKiln, kilnWithSample, type KilnFirstView, type OpenTimes } from './viewers';

const SAMPLE = 'shop-checkout.prof';
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-v8.cpu_profiler',
  'blink.user_timing',
  'v8',
  'IndexedDB',
];
/** Keeping a large profile waits for the page to be idle, then hashes and stores it. */
const KEEP_TIMEOUT_MS = 10 * 60_000;

async function waitUntilKept(page: Page, name: string): Promise<void> {
  const end = Date.now() + KEEP_TIMEOUT_MS;
  while (!(await keptNames(page)).includes(name)) {
    if (Date.now() > end) throw new Error(`${name} was not kept in the library`);
    await page.waitForTimeout(200);
  }
}

/** In the page: a click on a library entry is the hand-off, as a file input's change is for a new file. */
function handOffOnLibraryClick(): void {
  const probe = (window as unknown as { __probe: { handoff: number; drawn: number; painted: number } }).__probe;
  document.addEventListener(
    'click',
    (e) => {
      if (!(e.target instanceof Element) || !e.target.closest('[data-testid=library-entry] .library-open')) return;
      probe.handoff = performance.now();
      performance.mark('bench:reopen-click');
      probe.drawn = -1;
      probe.painted = -1;
    },
    true,
  );
}

/** In the page: clicks the flame graph tab once the profile `name` is shown from the library. */
function flameTabWhenShown(name: string): void {
  const observer = new MutationObserver(() => {
    const shown = document.querySelector('[data-testid=file-name]');
    if (shown?.getAttribute('data-source') !== 'library' || !shown.textContent?.includes(name)) return;
    const tab = [...document.querySelectorAll<HTMLElement>('[role=tab]')].find((t) => t.textContent === 'Flame graph');
    if (!tab) return;
    observer.disconnect();
    if (tab.getAttribute('aria-selected') !== 'true') tab.click();
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
}

/**
 * Reopens `file` from the library after a reload, timed from the click on its entry to the paint
 * of its `first` view. With `trace`, Chromium traces that reopen (page, workers, storage and the
 * sampling profiler) into `trace`.json, and where its time went into `trace`.txt.
 */
export async function reopenFromLibrary(
  appUrl: string,
  file: string,
  first: KilnFirstView,
  trace?: string,
): Promise<OpenTimes> {
  const browser = await launch();
  try {
    const name = basename(file);
    const page = await kilnWithSample(browser, appUrl);
    await handOffToKiln(page, file, 'table');
    await waitUntilKept(page, name);
    await page.getByRole('button', { name: 'Library' }).click();
    await page
      .getByTestId('library-entry')
      .getByRole('button', { name: new RegExp(`^${SAMPLE.replace(/\./g, '\\.')}`) })
      .click();
    await page.getByTestId('file-name').filter({ hasText: SAMPLE }).waitFor();
    await page.reload();
    await page.getByTestId('file-name').filter({ hasText: SAMPLE }).waitFor();
    await page.locator('.progress').waitFor({ state: 'detached' });
    await page.evaluate(handOffOnLibraryClick);
    if (first === 'flame') await page.evaluate(flameTabWhenShown, name);
    await warmUpWaiting(page);
    await page.getByRole('button', { name: 'Library' }).click();
    if (trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page
      .getByTestId('library-entry')
      .getByRole('button', { name: new RegExp(`^${name.replace(/\./g, '\\.')}`) })
      .click();
    if (first === 'table') {
      await page.waitForFunction(() => {
        const handoff = (window as unknown as { __probe: { handoff: number } }).__probe.handoff;
        return performance.getEntriesByName('kiln:table-painted', 'mark').some((m) => m.startTime >= handoff);
      });
    } else {
      await page.waitForFunction(() => (window as unknown as { __probe: { painted: number } }).__probe.painted >= 0);
    }
    const probe = await page.evaluate(readProbe, ['kiln:table-painted']);
    const ms = first === 'table' ? probe.marks['kiln:table-painted'] - probe.handoff : probe.painted - probe.handoff;
    if (trace) {
      const json = (await browser.stopTracing()).toString();
      writeFileSync(`${trace}.json`, json);
      writeFileSync(`${trace}.txt`, `${summarizeTrace(json, 'bench:reopen-click', ms)}\n`);
    }
    return { [first]: ms };
  } finally {
    await browser.close();
  }
}
