import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dropFixture } from './helpers';

/** Relative luminance (WCAG) of a computed `rgb(…)` colour. */
function luminance(css: string): number {
  const [r, g, b] = css
    .match(/[\d.]+/g)!
    .slice(0, 3)
    .map(Number);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

/** Any CSS colour as the page computes it, `rgb(…)`; run in the page. */
const toRgb = (color: string) => {
  const e = document.createElement('i');
  e.style.color = color;
  document.body.append(e);
  const rgb = getComputedStyle(e).color;
  e.remove();
  return rgb;
};
const pageBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
const legendText = (page: Page) =>
  page
    .locator('footer.legend span')
    .first()
    .evaluate((e) => getComputedStyle(e).color);

async function showFlameGraph(page: Page) {
  await dropFixture(page, 'folded/sampler-py311.folded');
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await page.getByRole('tab', { name: 'Flame graph' }).click();
  await expect(page.getByTestId('flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
}

test('the page follows the system scheme, the toggle overrides it and survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('./');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(luminance(await pageBackground(page))).toBeLessThan(0.05);
  await expect(page.getByTestId('theme')).toHaveValue('auto');

  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(luminance(await pageBackground(page))).toBeGreaterThan(0.9);

  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(luminance(await pageBackground(page))).toBeLessThan(0.05);
  await page.reload();
  await expect(page.getByTestId('theme')).toHaveValue('dark');
  expect(luminance(await pageBackground(page))).toBeLessThan(0.05);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('theme').selectOption('light');
  await page.reload();
  await expect(page.getByTestId('theme')).toHaveValue('light');
  expect(luminance(await pageBackground(page))).toBeGreaterThan(0.9);

  await page.getByTestId('theme').selectOption('auto');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`flame graph in the ${scheme} scheme: legend and labels readable`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.goto('./');
    await showFlameGraph(page);
    const background = await pageBackground(page);
    expect(contrast(await legendText(page), background)).toBeGreaterThan(7);
    // The canvas is see-through where no frame is: what shows there is the page's background.
    const corner = await page
      .getByTestId('flame')
      .locator('canvas')
      .evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(1, 1, 1, 1).data));
    expect(corner[3]).toBe(0);
    await page.screenshot({ path: testInfo.outputPath(`flame-${scheme}.png`) });

    // The exported image keeps the scheme: its background is the page's and its title reads on it.
    const png = page.waitForEvent('download');
    await page.getByRole('button', { name: 'PNG' }).click();
    const bytes = readFileSync((await (await png).path())!).toString('base64');
    const [imageCorner, inks] = await page.evaluate(async (b64) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))]));
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, 20 * devicePixelRatio).data;
      const rgb = (k: number) => `rgb(${data[k]}, ${data[k + 1]}, ${data[k + 2]})`;
      const title: string[] = [];
      for (let k = 0; k < data.length; k += 4) title.push(rgb(k));
      return [rgb(0), title];
    }, bytes);
    expect(contrast(imageCorner, background)).toBeLessThan(1.1);
    expect(Math.max(...inks.map((ink) => contrast(ink, imageCorner)))).toBeGreaterThan(7);

    // So does the SVG: the page's background behind it, its title in the page's text colour.
    const svgDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'SVG' }).click();
    const svg = readFileSync((await (await svgDownload).path())!, 'utf8');
    const svgBackground = /<rect width="100%" height="100%" fill="([^"]+)"\/>/.exec(svg)![1];
    const svgTitle = /<text class="header" fill="([^"]+)"/.exec(svg)![1];
    expect(svgBackground).toBe(background);
    expect(contrast(await page.evaluate(toRgb, svgTitle), background)).toBeGreaterThan(7);

    await page.getByTestId('graph-search').fill('fib');
    await page.screenshot({ path: testInfo.outputPath(`flame-${scheme}-search.png`) });
  });
}
