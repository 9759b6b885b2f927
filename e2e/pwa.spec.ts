import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { dropFixture, chooseFromMenu } from './helpers';
import { kept } from './library-db';
import { controlledByServiceWorker } from './service-worker';
import { serveStatic, type StaticServer } from './static-server';

const FIXTURE = 'pstats/out/seeds-py312-cprofile.prof';
const SUMMARY = '131 function calls in 0.034 seconds';
const dist = resolve(import.meta.dirname, '../dist');

/** The manifest as Chromium reads it, and what keeps the app from being installed. */
async function installability(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  await cdp.detach();
  return { manifest, installabilityErrors };
}

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;

test('the manifest is valid and its icons are real PNGs of the sizes it says', async ({ page }) => {
  await page.goto('./');
  const { manifest } = await installability(page);
  expect(manifest.errors).toEqual([]);
  expect(manifest.url).toBe(new URL('manifest.webmanifest', page.url()).href);

  const data = JSON.parse(manifest.data!);
  expect(data).toMatchObject({
    name: 'Kiln',
    display: 'standalone',
    start_url: './',
    scope: './',
    theme_color: '#1f2430',
  });
  const purposes = new Set<string>();
  for (const icon of data.icons as { src: string; sizes: string; purpose: string; type: string }[]) {
    const response = await page.request.get(new URL(icon.src, manifest.url).href);
    expect(response.headers()['content-type']).toBe('image/png');
    expect(pngSize(await response.body())).toBe(icon.sizes);
    purposes.add(icon.purpose);
  }
  expect([...purposes].sort()).toEqual(['any', 'maskable']);
});

test('Chromium finds the app installable, at the root and at a sub-path', async ({ launchOptions, baseURL }) => {
  // Chromium installs nothing from an incognito context, which is what every test context is.
  const profileDir = mkdtempSync(join(tmpdir(), 'kiln-install-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: launchOptions.executablePath,
    args: launchOptions.args,
  });
  const server = await serveStatic(dist, { mount: '/tools/kiln/' });
  try {
    for (const url of [baseURL!, server.url]) {
      const page = await context.newPage();
      await page.goto(url);
      await controlledByServiceWorker(page);
      const { manifest, installabilityErrors } = await installability(page);
      expect(manifest.url).toBe(`${url}manifest.webmanifest`);
      expect(manifest.errors).toEqual([]);
      expect(installabilityErrors).toEqual([]);
      await page.close();
    }
  } finally {
    await server.close();
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
});

test('offline after one visit: the app reloads, and the library lists and opens what was dropped, from the cache', async ({
  page,
  context,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
  await controlledByServiceWorker(page);
  await dropFixture(page, FIXTURE);
  await expect(page.getByTestId('summary')).toHaveText(SUMMARY);
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'file');
  await kept(page, 'seeds-py312-cprofile.prof', { last: true });

  await context.setOffline(true);
  await page.reload();
  // The last profile opened comes back from IndexedDB, without the parser.
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
  await expect(page.getByTestId('file-name')).toContainText('opened from library');
  await expect(page.getByTestId('summary')).toHaveText(SUMMARY);

  // A precached sample still opens offline, and so does the dropped profile from the library.
  await chooseFromMenu(page, 'Open a sample profile', 'shop-checkout.folded');
  await expect(page.getByTestId('file-name')).toContainText('shop-checkout.folded');
  await page.getByRole('button', { name: 'Library' }).click();
  const entries = page.getByTestId('library-entry');
  await expect(entries).toHaveCount(3);
  await entries.getByRole('button', { name: /^seeds-py312-cprofile\.prof/ }).click();
  await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
  await expect(page.getByTestId('summary')).toHaveText(SUMMARY);
});

test.describe('a build served from a sub-path by a plain static server', () => {
  let server: StaticServer;
  let nextVersion = false;
  test.beforeEach(async () => {
    nextVersion = false;
    server = await serveStatic(dist, {
      mount: '/tools/kiln/',
      rewrite: (path, body) =>
        nextVersion && path.endsWith('/sw.js') ? Buffer.concat([body, Buffer.from('\n// next version\n')]) : body,
    });
  });
  test.afterEach(() => server.close());

  test('opens, registers its worker under the sub-path, and works offline', async ({ page, context }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('file-name')).toContainText('shop-checkout.prof');
    await expect(page.getByTestId('summary')).toBeVisible();
    await controlledByServiceWorker(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(server.url);
    expect(server.requests.filter((p) => !p.startsWith('/tools/kiln/'))).toEqual([]);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('file-name')).toHaveAttribute('data-source', 'library');
    await dropFixture(page, FIXTURE);
    await expect(page.getByTestId('summary')).toHaveText(SUMMARY);
  });

  test('says when a new version is ready and switches to it on Reload', async ({ page }) => {
    await page.goto(server.url);
    await controlledByServiceWorker(page);
    // A returning visit: the page starts under the installed version.
    await page.reload();
    await expect(page.getByTestId('file-name')).toBeVisible();
    const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);
    await expect(page.getByTestId('update-ready')).toHaveCount(0);

    nextVersion = true;
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const notice = page.getByTestId('update-ready');
    await expect(notice).toContainText('A new version of Kiln is ready');
    await page.evaluate(() => ((window as { beforeUpdate?: boolean }).beforeUpdate = true));
    const reloaded = page.waitForEvent('load');
    await notice.getByRole('button', { name: 'Reload' }).click();
    await reloaded;

    expect(await page.evaluate(() => (window as { beforeUpdate?: boolean }).beforeUpdate ?? false)).toBe(false);
    await expect(page.getByTestId('file-name')).toBeVisible();
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting)).toBeNull();
    expect(await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL)).toBe(firstWorker);
    await expect(page.getByTestId('update-ready')).toHaveCount(0);
  });
});
