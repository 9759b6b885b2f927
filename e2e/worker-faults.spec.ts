import { expect, test, type Browser, type Page, type Worker } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dropFixture, fixturesDir } from './helpers';
import { dropLargeFolded, parsing } from './large-file';

const FIXTURE = 'folded/sampler-py311.folded';
const SUMMARY = '877 samples';

/** The transform worker starts once a profile is shown and the page is idle; these tests are about the parsers. */
const isTransformWorker = (w: Worker) => w.url().includes('transform-worker');
const parsers = (page: Page) => page.workers().filter((w) => !isTransformWorker(w));

/**
 * Ends a worker the way a crash does: its running script is cut off and it closes, with no error
 * event. A parse never yields to the worker's task queue, so the cut comes through the DevTools
 * protocol, which interrupts running script.
 */
async function crash(browser: Browser, worker: Worker): Promise<void> {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'worker' && t.url === worker.url())!;
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let id = 0;
  const send = (method: string, params = {}) =>
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++id, method, params }) });
  const closed = worker.waitForEvent('close');
  await send('Runtime.terminateExecution');
  await send('Runtime.evaluate', { expression: 'close()' });
  await closed;
  await cdp.detach();
}

test('a worker that dies mid-parse: the page says so, keeps the last profile, and a new worker opens the next file', async ({
  page,
  browser,
}) => {
  await page.goto('./');
  await dropFixture(page, FIXTURE);
  await expect(page.getByTestId('summary')).toHaveText(SUMMARY);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.message}\n${e.stack ?? ''}`));

  await dropLargeFolded(page, 'big.folded', 64, { asText: true });
  await parsing(page, 'big.folded');
  const [parser] = parsers(page);
  const replacement = page.waitForEvent('worker', (w) => !isTransformWorker(w));
  await crash(browser, parser);

  await expect(page.getByTestId('error')).toHaveText(
    /^Could not open “big\.folded”: the parser stopped unexpectedly \(perhaps out of memory\); a new one has been started\.\s*×$/,
  );
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await expect(page.getByTestId('summary')).toHaveText(SUMMARY);
  expect((await replacement).url()).toBe(parser.url());

  await dropFixture(page, 'pyflame/idle-py36-default.samp');
  await expect(page.getByTestId('file-name')).toContainText('idle-py36-default.samp');
  await expect(page.getByTestId('error')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('dropping a file while another parses cancels the first', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  await dropLargeFolded(page, 'big.folded', 64, { asText: true });
  await parsing(page, 'big.folded');
  const [parser] = parsers(page);
  const stopped = parser.waitForEvent('close');

  await dropFixture(page, FIXTURE);
  await stopped;
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await expect(page.getByTestId('summary')).toHaveText(SUMMARY);
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  expect(parsers(page)).toHaveLength(1);
});

test('a worker that opens files of a set and ends with no error event: the set ends with a message, not a wait', async ({
  page,
}) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'kiln-set-')), 'requests');
  mkdirSync(dir);
  const file = resolve(fixturesDir, 'pstats/out/seeds-py311-cprofile.prof');
  for (let i = 0; i < 1000; i++) copyFileSync(file, join(dir, `${i}.prof`));
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  const [parser] = parsers(page);
  const helper = page.waitForEvent('worker', (w) => w !== parser && !isTransformWorker(w));
  await page.getByTestId('folder-input').setInputFiles(dir);
  // Once it holds its lifeline, the helper closes itself between files, as a worker the browser ends
  // for its memory does: with no error event.
  const running = await helper;
  await expect.poll(() => page.evaluate(async () => (await navigator.locks.query()).held!.length)).toBe(2);
  running.evaluate(() => close()).catch(() => undefined);
  await expect(page.getByTestId('error')).toContainText(
    'The set is not merged: the parser stopped unexpectedly (a helper, perhaps out of memory)',
  );
  await expect(page.getByRole('progressbar')).toHaveCount(0);
});
