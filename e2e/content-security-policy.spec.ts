import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '~/config/content-security-policy';
import { dropFile, dropFixture, fixturesDir, chooseFromMenu } from './helpers';
import { watchProblems } from './page-problems';
import { controlledByServiceWorker } from './service-worker';

const SEEDS = 'pstats/out/seeds-py312-cprofile.prof';
const SEEDS_SUMMARY = '131 function calls in 0.034 seconds';

async function openTab(page: Page, name: string) {
  await page.getByRole('tab', { name }).click();
}

/** Hovers a point of a graph's canvas, `fromTop` pixels down or (negative) up from its bottom, until a tooltip shows. */
async function hoverGraph(page: Page, testId: string, fromTop: number) {
  const canvas = page.getByTestId(testId).locator('canvas').first();
  await expect(canvas).toBeVisible();
  await expect(async () => {
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, fromTop < 0 ? box.y + box.height + fromTop : box.y + fromTop);
    await expect(page.getByTestId('tooltip')).toBeVisible({ timeout: 500 });
  }).toPass();
}

test('the built page carries the policy, and the app works under it without one violation', async ({ page }) => {
  const problems = await watchProblems(page);
  await page.goto('./');
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    CONTENT_SECURITY_POLICY,
  );
  // The sample on first start: fetched from the page's origin and parsed in the worker.
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
  await controlledByServiceWorker(page);

  await dropFixture(page, SEEDS);
  await expect(page.getByTestId('summary')).toHaveText(SEEDS_SUMMARY);
  await page.locator('.table-body .tr', { hasText: 'workloads.py:64(work)' }).click();
  await expect(page.getByTestId('callers')).toContainText('workloads.py:70(foo)');
  await openTab(page, 'Flame graph');
  await hoverGraph(page, 'flame', -9);
  const svg = page.waitForEvent('download');
  await page.getByRole('button', { name: 'SVG' }).click();
  expect((await svg).suggestedFilename()).toBe('seeds-py312-cprofile-flame.svg');
  const png = page.waitForEvent('download');
  await page.getByRole('button', { name: 'PNG' }).click();
  expect((await png).suggestedFilename()).toBe('seeds-py312-cprofile-flame.png');
  // Empty space in the image is the page's background, not transparent.
  const pngBytes = readFileSync((await (await png).path())!).toString('base64');
  const corner = await page.evaluate(async (b64) => {
    const image = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))]));
    const ctx = new OffscreenCanvas(1, 1).getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    return Array.from(ctx.getImageData(0, 0, 1, 1).data);
  }, pngBytes);
  expect(corner[3]).toBe(255);
  await openTab(page, 'Sandwich');
  await expect(page.getByTestId('sandwich-callers').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
  const csv = page.waitForEvent('download');
  await chooseFromMenu(page, 'Export…', 'Table as CSV');
  expect((await csv).suggestedFilename()).toBe('seeds-py312-cprofile.csv');

  await chooseFromMenu(page, 'Open a sample profile', 'shop-checkout.samp');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.samp');
  await openTab(page, 'Time order');
  await hoverGraph(page, 'time-order', 28);
  await openTab(page, 'Icicle');
  await expect(page.getByTestId('flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-entry')).toHaveCount(3);
  expect(await problems()).toEqual([]);
});

test('?url= downloads from another https origin under the policy', async ({ page }) => {
  const problems = await watchProblems(page);
  const profileUrl = 'https://profiles.example.org/runs/seeds.prof';
  await page.route(profileUrl, (route) =>
    route.fulfill({ body: readFileSync(resolve(fixturesDir, SEEDS)), headers: { 'access-control-allow-origin': '*' } }),
  );
  await page.goto(`./?url=${encodeURIComponent(profileUrl)}`);
  await expect(page.getByTestId('file-name')).toContainText('seeds.prof');
  await expect(page.getByTestId('summary')).toHaveText(SEEDS_SUMMARY);
  expect(await problems()).toEqual([]);
});

test('the policy is in force: inline script, inline handlers and eval are refused', async ({ page }) => {
  const problems = await watchProblems(page);
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  const ran = await page.evaluate(async () => {
    const flags = window as unknown as Record<string, unknown>;
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.head.append(script);
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.handlerRan = true');
    img.src = 'data:,not an image';
    document.body.append(img);
    await new Promise((done) => setTimeout(done, 200));
    let evalRan: unknown;
    try {
      evalRan = (0, eval)('true');
    } catch (e) {
      evalRan = (e as Error).name;
    }
    img.remove();
    return { inline: flags.inlineRan ?? false, handler: flags.handlerRan ?? false, eval: evalRan };
  });
  expect(ran).toEqual({ inline: false, handler: false, eval: 'EvalError' });
  const reported = (await problems()).filter((p) => !p.startsWith('console:'));
  expect(reported.sort()).toEqual(['script-src-attr inline', 'script-src-elem inline', 'script-src eval'].sort());
});

test.describe('the policy sent as a header, which covers the parser worker too', () => {
  test.use({ serviceWorkers: 'block' });

  test('folded stacks, read by the worker with its WebAssembly scanner, open under it', async ({ page }) => {
    const problems = await watchProblems(page);
    await page.route(/\.js$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': CONTENT_SECURITY_POLICY },
      });
    });
    await page.goto('./');
    await expect(page.getByTestId('file-name')).toBeVisible();
    // Past the lines the format is told from, plain folded stacks are read by the scanner.
    const lines = Array.from({ length: 300 }, (_, i) => `app.py:main:1;app.py:step:${i % 7} ${1 + (i % 3)}\n`);
    await dropFile(page, 'steps.folded', Buffer.from(lines.join('')));
    await expect(page.getByTestId('summary')).toHaveText('600 samples');
    expect(await problems()).toEqual([]);
    // The transform worker's script may still be on its way (it starts once the page is idle): the
    // page closes under it.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });
});
