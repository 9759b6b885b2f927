/** Opening one file in one viewer, in a fresh browser, and what that took. */
import { basename } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { launch, measureMemory, PageTargets, probedPage, warmUpWaiting, type MemoryPeaks } from './browser';
import { readProbe } from './probe';

/** Milliseconds from the hand-off of the file; undefined when not measured in this run. */
export interface OpenTimes {
  model?: number;
  table?: number;
  flame?: number;
}

export interface OpenRun {
  times: OpenTimes;
  memory: MemoryPeaks;
}

/** Long enough for a peer on the largest input; a run that takes longer has failed. */
const OPEN_TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 50;

export type KilnFirstView = 'table' | 'flame';

/**
 * Opens `file` in Kiln as a user does: the page is loaded (with its sample open), then the file is
 * set on the file input. `first` is the view timed: the stats table or the flame graph.
 */
export async function openInKiln(appUrl: string, file: string, first: KilnFirstView): Promise<OpenRun> {
  const browser = await launch();
  try {
    const { page, targets } = await kilnReadyToMeasure(browser, appUrl);
    const { memory } = await measureMemory(browser, page, targets, () => handOffToKiln(page, file, first));
    const probe = await page.evaluate(readProbe, ['kiln:model-ready', 'kiln:table-painted']);
    const since = (t: number) => (t >= 0 ? t - probe.handoff : undefined);
    const times: OpenTimes = { model: since(probe.marks['kiln:model-ready']) };
    if (first === 'table') times.table = since(probe.marks['kiln:table-painted']);
    else times.flame = since(probe.painted);
    return { times, memory };
  } finally {
    await browser.close();
  }
}

/**
 * Kiln loaded in a new page, with the sample it opens on first start on screen in the table, so
 * that no canvas is on screen when a file is handed over.
 */
export async function kilnWithSample(browser: Browser, appUrl: string): Promise<Page> {
  const page = await probedPage(browser);
  await page.goto(appUrl);
  await page.getByTestId('file-name').waitFor();
  await page.locator('.progress').waitFor({ state: 'detached' });
  return page;
}

/**
 * Kiln with its sample on screen, its worker started, the page's waiting warmed up and garbage
 * collected: what is measured from here is the open that follows, not the page's start.
 */
export async function kilnReadyToMeasure(
  browser: Browser,
  appUrl: string,
): Promise<{ page: Page; targets: PageTargets }> {
  const page = await kilnWithSample(browser, appUrl);
  const targets = await PageTargets.attach(page);
  await targets.waitForWorker();
  await warmUpWaiting(page);
  await targets.collectGarbage();
  return { page, targets };
}

/** Sets `file` on Kiln's file input and waits until the `first` view of it is painted. */
export async function handOffToKiln(page: Page, file: string, first: KilnFirstView): Promise<void> {
  if (first === 'flame') await clickFlameTabOnOpen(page, basename(file));
  await page.setInputFiles('[data-testid=file-input]', file);
  if (first === 'table') {
    await waitOrFail(page, () => {
      const handoff = (window as unknown as { __probe: { handoff: number } }).__probe.handoff;
      return performance.getEntriesByName('kiln:table-painted', 'mark').some((m) => m.startTime >= handoff);
    });
  } else {
    await waitOrFail(page, () => (window as unknown as { __probe: { painted: number } }).__probe.painted >= 0);
  }
}

/**
 * Kiln opens a new file at its table; a user then clicks the flame graph tab. The page does that
 * itself, as soon as the file's name is on the page, so no round trip to the bench is timed. The
 * file is open once the progress bar shown after the hand-off has gone: the page on screen before
 * may show a file of the same name, and opening a file shows its table, undoing an earlier click.
 */
async function clickFlameTabOnOpen(page: Page, fileName: string): Promise<void> {
  await page.evaluate((name) => {
    let opening = false;
    const observer = new MutationObserver(() => {
      const progress = document.querySelector('.progress') !== null;
      if ((window as unknown as { __probe: { handoff: number } }).__probe.handoff >= 0 && progress) opening = true;
      if (!opening || progress) return;
      if (!document.querySelector('[data-testid=file-name]')?.textContent?.includes(name)) return;
      const tab = [...document.querySelectorAll<HTMLElement>('[role=tab]')].find(
        (t) => t.textContent === 'Flame graph',
      );
      if (!tab) return;
      observer.disconnect();
      if (tab.getAttribute('aria-selected') !== 'true') tab.click();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, fileName);
}

/** Waits for `done` in the page; fails at once when Kiln shows an error. */
async function waitOrFail(page: Page, done: () => boolean): Promise<void> {
  const failed = page
    .getByTestId('error')
    .waitFor({ timeout: OPEN_TIMEOUT_MS })
    .then(
      async () => {
        throw new Error(`Kiln: ${await page.getByTestId('error').textContent()}`);
      },
      () => undefined,
    );
  const handle = page.waitForFunction(done, undefined, { timeout: OPEN_TIMEOUT_MS, polling: POLL_MS });
  await Promise.race([handle, failed]);
}

/** Opens `file` in speedscope at its flame graph (left heavy), set on its file input like Kiln. */
export async function openInSpeedscope(speedscopeUrl: string, file: string): Promise<OpenRun> {
  const browser = await launch();
  try {
    const page = await probedPage(browser);
    let dialog = '';
    page.on('dialog', (d) => {
      dialog = d.message();
      d.dismiss().catch(() => undefined);
    });
    await page.goto(`${speedscopeUrl}#view=left-heavy`);
    await page.locator('input[type=file]').waitFor({ state: 'attached' });
    const targets = await PageTargets.attach(page);
    await warmUpWaiting(page);
    await targets.collectGarbage();
    const { memory } = await measureMemory(browser, page, targets, async () => {
      await page.setInputFiles('input[type=file]', file);
      await page.waitForFunction(
        () =>
          (window as unknown as { __probe: { painted: number } }).__probe.painted >= 0 ||
          document.body.innerText.includes('Something went wrong'),
        undefined,
        { timeout: OPEN_TIMEOUT_MS, polling: POLL_MS },
      );
    });
    const probe = await page.evaluate(readProbe, []);
    if (probe.painted < 0) throw new Error(`speedscope could not open ${basename(file)}${dialog ? `: ${dialog}` : ''}`);
    return { times: { flame: probe.painted - probe.handoff }, memory };
  } finally {
    await browser.close();
  }
}
