import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { dropFixture, fixturesDir, tableRows } from './helpers';

const fixture = 'pyspy/web-py311-pyspy-threads.speedscope.json';
const truth = JSON.parse(readFileSync(resolve(fixturesDir, `${fixture}.truth.json`), 'utf8')) as {
  profiles: { stacks: Record<string, number> }[];
};
/** py-spy's `--threads` starts each stack with its thread, written `thread (TID): NAME (:0)` in the truth. */
const threads = [
  ...new Set(
    truth.profiles
      .flatMap((p) => Object.keys(p.stacks))
      .filter((stack) => stack !== '')
      .map((stack) => stack.split(';')[0].replace(/ \(:0\)$/, '')),
  ),
];

// The page's worker reads the samples in WebAssembly: under the page's content security policy, too.
test('a py-spy speedscope file of several threads opens in the page, each thread a root of its own', async ({
  page,
}) => {
  await page.goto('./');
  await dropFixture(page, fixture);
  const picker = page.getByTestId('thread-picker');
  await expect(picker.locator('summary')).toHaveText(`Threads: all ${threads.length}`);
  const names = (await tableRows(page)).map((r) => r[4]);
  for (const thread of threads) expect(names).toContain(thread);
});
