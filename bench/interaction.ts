/**
 * Frame times of Kiln's flame graph while a script zooms in, pans and zooms out with the wheel,
 * one wheel event per animation frame; and of its call tree while a script opens rows and scrolls. Chromium runs with its frame-rate limit off, so the time
 * between two animation frames is what producing a frame cost, not the 16.7 ms of the display.
 * And the time from choosing a transform in the call tree, or in the flame graph, to the frame that
 * shows its result.
 */
import type { Browser, Page } from '@playwright/test';
import { launch } from './browser';
import { handOffToKiln, kilnWithSample } from './viewers';

export interface InteractionRun {
  /** Nodes in the tree drawn. */
  nodes: number;
  frames: number;
  p50: number;
  p95: number;
  max: number;
}

export async function flameInteraction(appUrl: string, file: string, frames: number): Promise<InteractionRun> {
  const browser = await launch(['--disable-frame-rate-limit']);
  try {
    const page = await kilnWithSample(browser, appUrl);
    await handOffToKiln(page, file, 'flame');
    const nodes = Number(await page.locator('canvas.flame-canvas').getAttribute('data-painted'));
    const gaps = await page.evaluate(scriptedWheel, frames);
    const sorted = [...gaps].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { nodes, frames: gaps.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
  } finally {
    await browser.close();
  }
}

/** In the page: a third of the frames zoom in (to about 20×), a third pan across and down, a third zoom out. */
function scriptedWheel(frames: number): Promise<number[]> {
  const canvas = document.querySelector('canvas.flame-canvas')!;
  const rect = canvas.getBoundingClientRect();
  const at = { clientX: rect.left + rect.width * 0.37, clientY: rect.top + rect.height * 0.6 };
  const stamps: number[] = [];
  return new Promise((done) => {
    let i = 0;
    const step = (t: number) => {
      stamps.push(t);
      if (i === frames) return done(stamps.slice(1).map((s, k) => s - stamps[k]));
      const phase = Math.floor((3 * i) / frames);
      const wheel: WheelEventInit =
        phase === 0
          ? { deltaY: -15 }
          : phase === 2
            ? { deltaY: 15 }
            : i % 2
              ? { deltaY: 40, shiftKey: true }
              : { deltaY: -12, ctrlKey: true };
      canvas.dispatchEvent(new WheelEvent('wheel', { ...wheel, ...at, bubbles: true, cancelable: true }));
      i++;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}

/** Kiln with `file` open in the call tree: the page, the tree grid and how many nodes it has. */
export async function callTreeOf(browser: Browser, appUrl: string, file: string) {
  const page = await kilnWithSample(browser, appUrl);
  await handOffToKiln(page, file, 'table');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  const grid = page.getByRole('treegrid');
  await grid.waitFor();
  return { page, grid, nodes: Number(await grid.getAttribute('data-nodes')) };
}

/** The call tree's frame times while a script opens the hottest path, then opens rows and scrolls, one step per frame. */
export async function callTreeInteraction(appUrl: string, file: string, frames: number): Promise<InteractionRun> {
  const browser = await launch(['--disable-frame-rate-limit']);
  try {
    const { page, nodes } = await callTreeOf(browser, appUrl, file);
    const gaps = await page.evaluate(scriptedTree, frames);
    const sorted = [...gaps].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { nodes, frames: gaps.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
  } finally {
    await browser.close();
  }
}

/**
 * In the page: the hottest path opened (*) on the first frame; then, frame by frame, the cursor
 * goes up the rows opening each one (→), and every fourth frame the list scrolls by a screen.
 */
export function scriptedTree(frames: number): Promise<number[]> {
  const grid = document.querySelector<HTMLElement>('[role=treegrid]')!;
  grid.focus();
  const key = (k: string) =>
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  const stamps: number[] = [];
  return new Promise((done) => {
    let i = 0;
    const step = (t: number) => {
      stamps.push(t);
      if (i === frames) return done(stamps.slice(1).map((s, k) => s - stamps[k]));
      if (i === 0) key('*');
      else if (i % 4 === 3) {
        grid.scrollTop = (grid.scrollTop + grid.clientHeight) % Math.max(1, grid.scrollHeight - grid.clientHeight);
      } else if (i % 2) key('ArrowRight');
      else key('ArrowUp');
      i++;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}

/** Milliseconds from choosing each transform to the call tree drawn with its result. */
export interface TransformRun {
  /** Nodes of the call tree by function before the transforms. */
  nodes: number;
  /**
   * Each transform's text as the menu words it, its time, the time until nothing is busy, and the
   * page's main thread time over that (Chromium's `ThreadTime`: CPU, not the scheduler's waits).
   */
  times: { transform: string; ms: number; wholeMs: number; cpuMs: number }[];
}

/**
 * Opens the call tree, selects a function near the root, then for each transform: chooses it in
 * the menu, waits for the frame drawn once its result is shown, and takes it off.
 */
export async function transformInteraction(appUrl: string, file: string): Promise<TransformRun> {
  const browser = await launch(['--disable-frame-rate-limit']);
  try {
    const { page, grid, nodes } = await callTreeOf(browser, appUrl, file);
    await grid.focus();
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'Tab']) await page.keyboard.press(key);
    const times = await timedTransforms(page);
    // The same tree shown inverted: its roots are the functions holding self time, every node's callers below.
    await page.getByTestId('inverted').click();
    await page.getByRole('treegrid', { name: 'Inverted call tree' }).waitFor();
    return { nodes, times: [...times, ...(await timedTransforms(page, INVERTED))] };
  } finally {
    await browser.close();
  }
}

/**
 * Opens the flame graph, selects a frame near the root with the keyboard (the graph stays
 * unzoomed), then times the same transforms as the call tree's: to the frame that shows the result,
 * and to the frame after the whole tree is drawn (zoom and hover work again).
 */
export async function flameTransformInteraction(appUrl: string, file: string): Promise<TransformRun> {
  const browser = await launch(['--disable-frame-rate-limit']);
  try {
    const page = await kilnWithSample(browser, appUrl);
    await handOffToKiln(page, file, 'flame');
    const nodes = Number(await page.locator('canvas.flame-canvas').getAttribute('data-painted'));
    await page.getByTestId('flame').focus();
    for (const key of ['ArrowUp', 'ArrowUp', 'ArrowUp']) await page.keyboard.press(key);
    return { nodes, times: await timedTransforms(page) };
  } finally {
    await browser.close();
  }
}

/** The transforms timed on the inverted call tree: the first of them (the transform worker started, the profile sent) and again. */
const INVERTED = { items: [/^Hide library code$/, /^Hide library code$/], note: ', inverted call tree' };

/** Chooses each transform in the menu, times it, and takes it off; then a second stacked on the first before its whole result. */
async function timedTransforms(page: Page, inverted?: typeof INVERTED): Promise<TransformRun['times']> {
  const times: TransformRun['times'] = [];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadMs = async () =>
    1000 * (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')!.value;
  // The first finds the worker started and the profile sent, or starts and sends them; the others find them there.
  const items = inverted?.items ?? [
    /^Hide library code$/,
    /^Merge .* into its callers$/,
    /^Drop samples through /,
    /^Hide library code$/,
    /^Collapse recursion of /,
  ];
  const choose = async (item: RegExp, note: string, then?: RegExp) => {
    await page.getByRole('button', { name: 'Transform…' }).click();
    const choice = page.getByRole('menuitem', { name: item });
    await choice.evaluate((el) => el.setAttribute('data-bench-choice', ''));
    const before = await threadMs();
    const [ms, wholeMs, text] = await page.evaluate(timedChoice, then?.source ?? null);
    times.push({ transform: `${text}${note}`, ms, wholeMs, cpuMs: (await threadMs()) - before });
    await page.getByRole('button', { name: 'Whole profile' }).click();
    await page.getByTestId('transforms').waitFor({ state: 'detached' });
  };
  if (inverted) {
    for (const item of items) await choose(item, inverted.note);
    return times;
  }
  for (const [k, item] of items.entries()) await choose(item, k ? '' : ' (the first of the session)');
  // A merge chosen in the frame after hide library code is shown, before the worker's result of it (hundreds of ms) comes.
  await choose(/^Hide library code$/, '', /^Merge .* into its callers$/);
  return times;
}

/**
 * In the page: clicks the marked menu item and resolves, in ms, with the first frame after its
 * result is shown, and the first after nothing is busy (the worker's whole result drawn), and the
 * item's text. With `then` (a pattern), once the first is shown, opens the menu, chooses the item
 * it matches and times that one instead (its text says if the first was still busy).
 */
function timedChoice(then: string | null): Promise<[number, number, string]> {
  const marked = document.querySelector<HTMLElement>('[data-bench-choice]')!;
  // The menu's items stay in the page between choices: unmarked, so that the next choice is not this one again.
  marked.removeAttribute('data-bench-choice');
  return new Promise((done) => {
    let item = marked;
    let text = item.textContent ?? '';
    let start = performance.now();
    let shown = -1;
    let stacking = then !== null;
    item.click();
    const check = () => {
      const applied = document.querySelector('[data-testid=transforms]');
      const whole = !document.querySelector('[aria-busy=true]');
      if (applied?.getAttribute('aria-busy') !== 'false') return requestAnimationFrame(check);
      requestAnimationFrame(() => {
        if (stacking) {
          stacking = false;
          const busy = !whole;
          [...document.querySelectorAll<HTMLElement>('button')].find((b) => b.textContent === 'Transform…')!.click();
          requestAnimationFrame(() => {
            const pattern = new RegExp(then!);
            item = [...document.querySelectorAll<HTMLElement>('[role=menuitem]')].find((m) =>
              pattern.test(m.textContent ?? ''),
            )!;
            // The flame graph is busy until the first's whole result; the call tree shows no sign of it.
            text = `${item.textContent}, stacked on ${text}${busy ? ' before its whole result' : ''}`;
            start = performance.now();
            item.click();
            requestAnimationFrame(check);
          });
          return;
        }
        if (shown < 0) shown = performance.now() - start;
        if (whole) done([shown, performance.now() - start, text]);
        else requestAnimationFrame(check);
      });
    };
    requestAnimationFrame(check);
  });
}
