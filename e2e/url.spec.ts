import { expect, test } from '@playwright/test';
import { dropFixture, fixturesDir } from './helpers';
import { serveStatic, type StaticServer } from './static-server';

const SEEDS = 'pstats/out/seeds-py312-cprofile.prof';
const SEEDS_SUMMARY = '131 function calls in 0.034 seconds';

let withCors: StaticServer;
let withoutCors: StaticServer;
test.beforeAll(async () => {
  withCors = await serveStatic(fixturesDir, { cors: true });
  withoutCors = await serveStatic(fixturesDir);
});
test.afterAll(async () => {
  await withCors.close();
  await withoutCors.close();
});

const linkTo = (url: string, fragment = '') => `./?url=${encodeURIComponent(url)}${fragment}`;

test('?url= opens a hosted profile in the view its fragment names, and the address follows the view', async ({
  page,
  context,
}) => {
  const profileUrl = `${withCors.url}${SEEDS}`;
  await page.goto(linkTo(profileUrl, '#sort=-tottime&filter=work'));
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
  await expect(page.getByTestId('summary')).toHaveText(SEEDS_SUMMARY);
  await expect(page.getByLabel('Filter functions')).toHaveValue('work');
  await expect(page.locator('.th[data-column="tottime"]')).toHaveAttribute('aria-sort', 'descending');

  await page.locator('.table-body .tr', { hasText: 'workloads.py:70(foo)' }).click();
  await page.locator('.th[data-column="ncalls"]').click();
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#sel=\d+&sort=-ncalls&filter=work$/);
  expect(new URL(page.url()).searchParams.get('url')).toBe(profileUrl);

  // The address, pasted elsewhere, reopens the same view of the same file.
  const copy = await context.newPage();
  await copy.goto(page.url());
  await expect(copy.getByTestId('summary')).toHaveText(SEEDS_SUMMARY);
  await expect(copy.locator('.selected-name')).toHaveText(/workloads\.py:70\(foo\)$/);
  await expect(copy.locator('.th[data-column="ncalls"]')).toHaveAttribute('aria-sort', 'descending');
  await expect(copy.getByLabel('Filter functions')).toHaveValue('work');
  expect(withCors.requests.filter((p) => p.endsWith('.prof'))).toHaveLength(2);

  // A file opened from the desktop has no address: the link no longer names the hosted one.
  await dropFixture(copy, 'folded/sampler-py311.folded');
  await expect(copy.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await expect.poll(() => new URL(copy.url()).searchParams.has('url')).toBe(false);
});

test('?url= on a host without CORS headers, or a missing file, says so and names the address', async ({ page }) => {
  const blocked = `${withoutCors.url}${SEEDS}`;
  await page.goto(linkTo(blocked));
  const error = page.getByTestId('error');
  await expect(error).toContainText(`Could not download ${blocked}:`);
  await expect(error).toContainText('CORS');
  await expect(page.locator('.empty')).toBeVisible();

  const missing = `${withCors.url}pstats/out/no-such-file.prof`;
  await page.goto(linkTo(missing));
  await expect(error).toContainText(`Could not download ${missing}: the server answered HTTP 404 Not Found.`);

  await page.goto(linkTo('javascript:alert(1)'));
  await expect(error).toContainText('“javascript:alert(1)” is not an http or https address:');
});
