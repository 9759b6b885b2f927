import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { dropFile, dropFixture, fixturesDir, tableRows } from './helpers';

interface Truth {
  samples: number;
  idle: number;
  stacks: Record<string, number>;
}
const truth = (relative: string): Truth =>
  JSON.parse(readFileSync(resolve(fixturesDir, `${relative}.truth.json`), 'utf8'));

/** Share of all weight in stacks holding a frame that contains `needle`: nested matches count once. */
function matchedPercent(t: Truth, needle: string, withIdle: boolean): string {
  let matched = 0;
  for (const [stack, w] of Object.entries(t.stacks)) if (stack.split(';').some((f) => f.includes(needle))) matched += w;
  return `${((100 * matched) / (t.samples + (withIdle ? t.idle : 0))).toFixed(1)} % matched`;
}

/** The share a search for these function names matches: frames are `file:function:line`. */
function matchedNames(t: Truth, names: string[]): string {
  let matched = 0;
  for (const [stack, w] of Object.entries(t.stacks))
    if (stack.split(';').some((f) => names.includes(f.split(':').slice(-2)[0]))) matched += w;
  return `${((100 * matched) / t.samples).toFixed(1)} % matched`;
}

async function openTab(page: Page, name: string) {
  await page.getByRole('tab', { name }).click();
}

/** Hovers the root row of a flame graph (bottom row, middle). */
async function hoverRoot(page: Page) {
  const canvas = page.getByTestId('flame').locator('canvas');
  await expect(canvas).toHaveAttribute('data-painted', /\d+/);
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 9);
}

test('folded stacks: table, flame graph search, zoom and reset, tooltip', async ({ page }) => {
  const fixture = 'folded/sampler-py311.folded';
  const t = truth(fixture);
  await page.goto('./');
  await dropFixture(page, fixture);
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await expect(page.getByTestId('summary')).toHaveText(`${t.samples} samples`);
  const top = (await tableRows(page))[0];
  expect(top.slice(2, 5)).toEqual([String(t.samples), '100.0%', '<module>']);

  await openTab(page, 'Flame graph');
  await page.keyboard.press('/');
  await expect(page.getByTestId('graph-search')).toBeFocused();
  await page.keyboard.type('fib');
  await expect(page.getByTestId('matched')).toHaveText(matchedPercent(t, 'fib', false));
  // An anchored pattern is tried on the function name drawn on the box, not only on the whole label.
  await page.getByTestId('graph-search').fill('/^(fib|walk_tree)$/');
  await expect(page.getByTestId('matched')).toHaveText(matchedNames(t, ['fib', 'walk_tree']));
  // Text that names a function finds that function, not also every frame whose file holds it (threading.py).
  await page.getByTestId('graph-search').fill('read');
  expect(matchedPercent(t, 'read', false)).not.toBe(matchedNames(t, ['read_code']));
  await expect(page.getByTestId('matched')).toHaveText(matchedNames(t, ['read_code']));
  await page.getByTestId('graph-search').fill('/threading\\.py/');
  await expect(page.getByTestId('matched')).toHaveText(matchedPercent(t, 'threading.py', false));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('matched')).toHaveText('');

  await hoverRoot(page);
  const tooltip = page.getByTestId('tooltip');
  await expect(tooltip).toContainText('<module>');
  await expect(tooltip).toContainText('/home/dev/tools/sampler.py:65');
  await expect(tooltip).toContainText(`total: ${t.samples} samples (100.00 %)`);

  await page.mouse.down();
  await page.mouse.up();
  await expect(page.getByTestId('crumbs').getByRole('button')).toHaveText(['all', '<module>']);
  await page.getByTestId('flame').press('Escape');
  await expect(page.getByTestId('crumbs').getByRole('button')).toHaveText(['all']);

  await openTab(page, 'Icicle');
  await expect(page.getByTestId('flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
});

test('Pyflame flamechart: idle share, time order, selection follows from table to graphs', async ({ page }) => {
  const fixture = 'pyflame/idle-py36-flamechart.samp';
  const t = truth(fixture);
  await page.goto('./');
  await dropFixture(page, fixture);
  await expect(page.getByTestId('summary')).toHaveText(`${t.samples} samples, ${t.idle} samples idle`);
  await expect(page.locator('.idle-toggle')).toContainText(`(${((100 * t.idle) / (t.samples + t.idle)).toFixed(1)} %)`);

  await page.locator('.table-body .tr', { hasText: 'poll_loop' }).first().click();
  await openTab(page, 'Sandwich');
  await expect(page.locator('.sandwich h3').first()).toHaveText('Callers of poll_loop');
  await expect(page.getByTestId('sandwich-callers').locator('canvas')).toHaveAttribute('data-painted', /\d+/);

  await openTab(page, 'Flame graph');
  await page.getByTestId('graph-search').fill('(idle)');
  await expect(page.getByTestId('matched')).toHaveText(
    `${((100 * t.idle) / (t.samples + t.idle)).toFixed(1)} % matched`,
  );

  await openTab(page, 'Time order');
  const chart = page.getByTestId('time-order').locator('canvas');
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + 5, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 30, { steps: 4 });
  await page.mouse.up();
  await expect(page.locator('.range-chip')).toBeVisible();
  await openTab(page, 'Table');
  const narrowed = await page.getByTestId('summary').textContent();
  expect(narrowed).not.toBe(`${t.samples} samples, ${t.idle} samples idle`);
  await page.locator('.range-chip').click();
  await expect(page.getByTestId('summary')).toHaveText(`${t.samples} samples, ${t.idle} samples idle`);

  // A range narrows the profile it was chosen on: the next profile opens whole.
  await openTab(page, 'Time order');
  await page.mouse.move(box.x + 5, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 30, { steps: 4 });
  await page.mouse.up();
  await expect(page.locator('.range-chip')).toBeVisible();
  const next = 'pyflame/cpu-py36-flamechart.samp';
  await dropFixture(page, next);
  await expect(page.getByTestId('file-name')).toContainText('cpu-py36-flamechart.samp');
  await expect(page.locator('.range-chip')).toHaveCount(0);
  await openTab(page, 'Table');
  await expect(page.getByTestId('summary')).toHaveText(new RegExp(`^${truth(next).samples} samples`));
});

test('stack files with bad lines open with a note; garbage and empty files get a message', async ({ page }) => {
  await page.goto('./');
  const text = 'main;work 3\nthis line has no count\nmain;idle 2\n';
  await dropFile(page, 'mixed.folded', Buffer.from(text));
  await expect(page.getByTestId('summary')).toHaveText('5 samples');
  await expect(page.getByTestId('invalid-lines')).toHaveText('1 line was not readable as stacks and skipped (line 2).');

  await dropFile(page, 'noise.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  await expect(page.getByTestId('error')).toContainText(
    '“noise.bin”: this is not a profile: it is binary, but not a pstats file',
  );
  await expect(page.getByTestId('summary')).toHaveText('5 samples');
  await dropFile(page, 'empty.folded', Buffer.alloc(0));
  await expect(page.getByTestId('error')).toContainText('“empty.folded”: the file is empty');
});

test('a flame graph is drawn once when it is shown, and again when its size changes', async ({ page }) => {
  await page.addInitScript(() => {
    const proto = CanvasRenderingContext2D.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const put = proto.putImageData;
    const w = window as unknown as { draws: number };
    w.draws = 0;
    proto.putImageData = function (this: unknown, ...args: unknown[]) {
      w.draws++;
      return put.apply(this, args);
    };
  });
  await page.goto('./');
  await dropFixture(page, 'folded/sampler-py311.folded');
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  const draws = () => page.evaluate(() => (window as unknown as { draws: number }).draws);
  const frames = (n: number) =>
    page.evaluate(
      (count) =>
        new Promise<void>((done) => {
          const step = (left: number) => (left === 0 ? done() : requestAnimationFrame(() => step(left - 1)));
          step(count);
        }),
      n,
    );
  const before = await draws();
  await openTab(page, 'Flame graph');
  await expect(page.getByTestId('flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
  await frames(5);
  expect(await draws()).toBe(before + 1);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width - 200, height: size.height });
  await expect.poll(draws).toBe(before + 2);
});

test("a transform chosen in the flame graph is drawn at once from the quick tree: the whole result's picture", async ({
  page,
}) => {
  await page.goto('./');
  await dropFixture(page, 'tachyon/web-py315-tachyon.bin');
  await expect(page.getByTestId('file-name')).toContainText('web-py315-tachyon');
  await openTab(page, 'Flame graph');
  const flame = page.getByTestId('flame');
  const canvas = flame.locator('canvas');
  await expect(canvas).toHaveAttribute('data-painted', /\d+/);
  const before = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await page.getByRole('button', { name: 'Transform…' }).click();
  await page.getByRole('menuitem', { name: 'Hide library code' }).evaluate((el) => el.setAttribute('data-choice', ''));
  // The first frame after the click, before the transform worker is asked for the whole result.
  const first = await page.evaluate(
    () =>
      new Promise<{ busy: string | null; note: boolean; image: string; transforms: string | null }>((done) => {
        document.querySelector<HTMLElement>('[data-choice]')!.click();
        requestAnimationFrame(() => {
          const graph = document.querySelector('[data-testid=flame]')!;
          done({
            busy: graph.getAttribute('aria-busy'),
            note: !!document.querySelector('[data-testid=flame-partial]'),
            image: graph.querySelector('canvas')!.toDataURL(),
            transforms: document.querySelector('[data-testid=transforms]')?.getAttribute('aria-busy') ?? null,
          });
        });
      }),
  );
  expect(first).toMatchObject({ busy: 'true', note: true, transforms: 'false' });
  expect(first.image).not.toBe(before);
  await expect(flame).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('flame-partial')).toHaveCount(0);
  expect(await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL())).toBe(first.image);
});
