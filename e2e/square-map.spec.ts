import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { chooseFromMenu, dropFile, dropFixture, fixturesDir, tableRows } from './helpers';
import { kept } from './library-db';

const FIXTURE = 'folded/sampler-py311.folded';
const truth: { samples: number; stacks: Record<string, number> } = JSON.parse(
  readFileSync(resolve(fixturesDir, `${FIXTURE}.truth.json`), 'utf8'),
);

interface MapRects {
  total: number;
  area: number;
  rows: { name: string; weight: number; area: number }[];
}

/** The map's accessible table: the rectangles directly inside the one zoomed to, with their weights and areas. */
async function mapRects(page: Page): Promise<MapRects> {
  const table = page.getByTestId('map-rects');
  return table.evaluate((t: HTMLTableElement) => ({
    total: Number(t.dataset.total),
    area: Number(t.dataset.area),
    rows: Array.from(t.tBodies[0].rows, (r) => ({
      name: r.cells[0].textContent ?? '',
      weight: Number(r.dataset.weight),
      area: Number(r.dataset.area),
    })),
  }));
}

/** Each rectangle's share of the map's area is its weight's share of the total the map shows. */
function expectProportional(m: MapRects) {
  expect(m.area).toBeGreaterThan(10_000);
  for (const r of m.rows) expect(r.area / m.area).toBeCloseTo(r.weight / m.total, 9);
  const weights = m.rows.reduce((s, r) => s + r.weight, 0);
  const areas = m.rows.reduce((s, r) => s + r.area, 0);
  expect(areas / m.area).toBeCloseTo(weights / m.total, 9);
}

const crumbs = (page: Page) => page.getByTestId('crumbs').getByRole('button');

async function clickCentre(page: Page): Promise<string> {
  const canvas = page.getByTestId('square-map').locator('canvas').first();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const name = await page.getByTestId('tooltip').locator('.tt-name').textContent();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  return name!;
}

test('square map: areas add up to the totals shown, a click selects and zooms, the address keeps map and zoom', async ({
  page,
}) => {
  await page.goto('./');
  await dropFixture(page, FIXTURE);
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await page.getByRole('tab', { name: 'Square map' }).click();
  await expect(page.getByTestId('square-map').locator('canvas').first()).toHaveAttribute('data-painted', /\d+/);
  await expect(page.getByTestId('map-total')).toHaveText(`all: ${truth.samples} samples (100.00 %)`);

  // One root, the sampler's <module>: the whole map.
  const whole = await mapRects(page);
  expect(whole.total).toBe(truth.samples);
  expect(whole.rows).toEqual([{ name: '<module>', weight: truth.samples, area: whole.area }]);

  // The centre is in the hottest leaf. A click selects it and zooms one level in: to <module>,
  // then to main (the line of main that calls runpy).
  expect(await clickCentre(page)).toBe('inner_loop');
  await expect(crumbs(page)).toHaveText(['all', '<module>']);
  await expect(page.getByTestId('map-total')).toHaveText(`<module>: ${truth.samples} samples (100.00 %)`);
  await clickCentre(page);
  await expect(crumbs(page)).toHaveText(['all', '<module>', 'main']);
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#view=squaremap&sel=\d+&zoom=\d+\.\d+$/);
  // Below main:55: its callees by line, each with the weight of the stacks through it.
  const callees = new Map<string, number>();
  let inMainTotal = 0;
  for (const [stack, w] of Object.entries(truth.stacks)) {
    const frames = stack.split(';');
    if (!frames[1].endsWith(':main:55')) continue;
    inMainTotal += w;
    if (frames[2]) callees.set(frames[2], (callees.get(frames[2]) ?? 0) + w);
  }
  const share = ((100 * inMainTotal) / truth.samples).toFixed(2);
  await expect(page.getByTestId('map-total')).toHaveText(`main: ${inMainTotal} samples (${share} %)`);
  const inMain = await mapRects(page);
  expect(inMain.total).toBe(inMainTotal);
  expectProportional(inMain);
  expect(inMain.rows.map((r) => r.weight)).toEqual([...callees.values()].sort((a, b) => b - a));

  // The selection and the zoom are those of every view.
  await page.getByRole('tab', { name: 'Flame graph' }).click();
  await expect(crumbs(page)).toHaveText(['all', '<module>', 'main']);
  await page.getByRole('tab', { name: 'Table' }).click();
  await expect(page.locator('.table-body .tr.selected')).toContainText('inner_loop');
  expect((await tableRows(page)).length).toBeGreaterThan(1);
  await page.getByRole('tab', { name: 'Square map' }).click();
  await page.getByTestId('square-map').press('Escape');
  await expect(crumbs(page)).toHaveText(['all', '<module>']);
  await page.getByTestId('square-map').press('Backspace');
  await expect(crumbs(page)).toHaveText(['all']);

  // Where code lives, by self time: your code and the standard library (runpy is frozen, threading a path).
  await page.getByRole('button', { name: 'code by self' }).click();
  await expect(page.getByTestId('map-total')).toHaveText(`all code: ${truth.samples} samples (100.00 %)`);
  const code = await mapRects(page);
  expectProportional(code);
  const selfOf = (user: boolean) =>
    Object.entries(truth.stacks)
      .filter(([s]) => s.split(';').at(-1)!.startsWith('/home/dev/') === user)
      .reduce((sum, [, w]) => sum + w, 0);
  expect(Object.fromEntries(code.rows.map((r) => [r.name, r.weight]))).toEqual({
    yours: selfOf(true),
    stdlib: selfOf(false),
  });
  expect(code.rows.reduce((s, r) => s + r.area, 0)).toBeCloseTo(code.area, 6);

  // Only cpu.py's functions have self time in your code: each click goes one level in, through its
  // directory and module, which hold nothing else, to the file.
  const path = ['all', 'yours', 'shop', 'cpu', 'cpu.py'];
  for (let level = 2; level <= path.length; level++) {
    await clickCentre(page);
    await expect(crumbs(page)).toHaveText(path.slice(0, level));
  }
  await expect
    .poll(() => new URL(page.url()).hash)
    .toContain('map=code&mz=yours&mz=%2Fhome%2Fdev%2Fshop&mz=cpu&mz=%2Fhome%2Fdev%2Fshop%2Fcpu.py');
  const file = await mapRects(page);
  expect(file.total).toBe(selfOf(true));
  expectProportional(file);
  expect(file.rows.map((r) => r.name)).toContain('inner_loop');

  // A reload reopens the file the library holds as opened last: it must be there first.
  await kept(page, 'sampler-py311.folded', { last: true });
  await page.reload();
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await expect(page.getByRole('tab', { name: 'Square map' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('button', { name: 'code by self' })).toHaveAttribute('aria-pressed', 'true');
  await expect(crumbs(page)).toHaveText(path);
  await expect(page.getByTestId('map-total')).toContainText(`cpu.py: ${selfOf(true)} samples`);
});

test('the square map reads the profile as the transforms leave it', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, FIXTURE);
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await page.getByRole('tab', { name: 'Square map' }).click();
  expect(await clickCentre(page)).toBe('inner_loop');
  await chooseFromMenu(page, 'Transform…', 'Drop samples through inner_loop');
  await expect(page.getByTestId('transforms')).toContainText('inner_loop');
  const through = Object.entries(truth.stacks)
    .filter(([s]) => s.split(';').some((f) => f.split(':').at(-2) === 'inner_loop'))
    .reduce((sum, [, w]) => sum + w, 0);
  expect(through).toBeGreaterThan(0);
  const left = truth.samples - through;
  await expect(page.getByTestId('map-total')).toHaveText(`<module>: ${left} samples (100.00 %)`);
  const m = await mapRects(page);
  expect(m.total).toBe(left);
  expectProportional(m);
  await page.getByRole('button', { name: 'code by self' }).click();
  await expect(page.getByTestId('map-total')).toHaveText(`all code: ${left} samples (100.00 %)`);
  // Your code's self time, without the stacks dropped.
  const yours = Object.entries(truth.stacks)
    .filter(([s]) => !s.includes(':inner_loop:') && s.split(';').at(-1)!.startsWith('/home/dev/'))
    .reduce((sum, [, w]) => sum + w, 0);
  expect((await mapRects(page)).rows.find((r) => r.name === 'yours')?.weight).toBe(yours);
});

for (const [scheme, focus] of [
  ['light', [0xc2, 0x41, 0x0c]],
  ['dark', [0xf0, 0x8a, 0x4b]],
] as const) {
  test(`square map in the ${scheme} scheme: the rectangle under the pointer is outlined in the page's accent`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./');
    await dropFixture(page, FIXTURE);
    await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
    await page.getByRole('tab', { name: 'Square map' }).click();
    const map = page.getByTestId('square-map');
    await expect(map.locator('canvas').first()).toHaveAttribute('data-painted', /\d+/);
    const box = (await map.locator('canvas').first().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.getByTestId('tooltip')).toBeVisible();
    // The outline is all the overlay holds: every pixel it paints is the accent.
    const inks = await map
      .locator('canvas')
      .nth(1)
      .evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<string>();
        for (let k = 0; k < data.length; k += 4)
          if (data[k + 3] === 255) seen.add(`${data[k]},${data[k + 1]},${data[k + 2]}`);
        return [...seen];
      });
    expect(inks).toEqual([focus.join(',')]);
    await page.mouse.move(box.x + box.width + 20, box.y - 40);
    await expect(page.getByTestId('tooltip')).toHaveCount(0);
  });
}

const austinDir = resolve(dirname(fileURLToPath(import.meta.url)), '../test/data/austin');

test('square map of an austin recording: its process and threads named, one level per click and per Esc, arrows, search', async ({
  page,
}) => {
  const wall = JSON.parse(readFileSync(resolve(austinDir, 'threads-wall.truth.json'), 'utf8')) as {
    threads: Record<string, number>;
  };
  const byWeight = Object.keys(wall.threads).sort((a, b) => wall.threads[b] - wall.threads[a]);
  const [process] = byWeight[0].split(';');
  const threads = byWeight.map((t) => t.split(';')[1]);
  await page.goto('./');
  await dropFile(page, 'threads-wall.mojo', readFileSync(resolve(austinDir, 'threads-wall.mojo')));
  await page.getByRole('tab', { name: 'Square map' }).click();
  const map = page.getByTestId('square-map');
  const canvas = map.locator('canvas').first();
  await expect(canvas).toHaveAttribute('data-painted', /\d+/);
  // The process and its threads have no self time, so no strip of their own: each is named on a band.
  const banded = (await canvas.getAttribute('data-banded'))!.split('\n');
  expect(banded).toEqual(expect.arrayContaining([process, ...threads]));

  // Each click one level in, each Esc one level out: they retrace each other.
  const seen: string[][] = [];
  for (let k = 0; k < 3; k++) {
    await clickCentre(page);
    await expect(crumbs(page)).toHaveCount(k + 2);
    seen.push(await crumbs(page).allTextContents());
  }
  expect(seen[0]).toEqual(['all', process]);
  expect(seen[1].slice(0, 2)).toEqual(seen[0]);
  expect(seen[2].slice(0, 3)).toEqual(seen[1]);
  for (let k = 1; k >= 0; k--) {
    await map.press('Escape');
    await expect(crumbs(page)).toHaveText(seen[k]);
  }
  await map.press('Escape');
  await expect(crumbs(page)).toHaveText(['all']);

  // Arrows: into the process, to its heaviest thread, to the next, back out; Enter zooms in.
  const tip = page.getByTestId('tooltip').locator('.tt-name');
  await page.mouse.move(0, 0);
  await map.press('ArrowDown');
  await expect(tip).toHaveText(process);
  await map.press('ArrowDown');
  await expect(tip).toHaveText(threads[0]);
  await map.press('ArrowRight');
  await expect(tip).toHaveText(threads[1]);
  await map.press('ArrowLeft');
  await expect(tip).toHaveText(threads[0]);
  await map.press('Enter');
  await expect(crumbs(page)).toHaveText(['all', process, threads[0]]);
  await map.press('Escape');
  await map.press('ArrowUp');
  await expect(tip).toHaveText(process);

  // The graph search: matched rectangles in the search's colour, which the map has nowhere else.
  const matchInk = () =>
    canvas.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let k = 0; k < data.length; k += 4)
        if (data[k] === 0xd6 && data[k + 1] === 0x3c && data[k + 2] === 0xc4) n++;
      return n;
    });
  expect(await matchInk()).toBe(0);
  await page.keyboard.press('/');
  await page.keyboard.type('crunch');
  await expect(page.getByTestId('matched')).toHaveText(/^[1-9][\d.]* % matched$/);
  await expect.poll(matchInk).toBeGreaterThan(1000);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`square map exports in the ${scheme} scheme: SVG with the names drawn, on the page's background, and PNG`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./');
    await dropFile(page, 'threads-wall.mojo', readFileSync(resolve(austinDir, 'threads-wall.mojo')));
    await page.getByRole('tab', { name: 'Square map' }).click();
    const canvas = page.getByTestId('square-map').locator('canvas').first();
    await expect(canvas).toHaveAttribute('data-painted', /\d+/);
    const banded = (await canvas.getAttribute('data-banded'))!.split('\n');
    const svgDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'SVG' }).click();
    const download = await svgDownload;
    expect(download.suggestedFilename()).toBe('threads-wall-square-map.svg');
    const svg = readFileSync((await download.path())!, 'utf8');
    expect(svg).toContain('threads-wall.mojo — square map, calls by total');
    const xml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const name of banded) expect(svg).toContain(`>${xml(name)}</text>`);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(svg).toContain(`<rect width="100%" height="100%" fill="${background}"/>`);
    // Every rectangle drawn is in the SVG, with its details in a title.
    expect(svg.match(/<g><title>/g)!.length).toBe(Number(await canvas.getAttribute('data-painted')));
    const pngDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'PNG' }).click();
    expect((await pngDownload).suggestedFilename()).toBe('threads-wall-square-map.png');
  });
}
