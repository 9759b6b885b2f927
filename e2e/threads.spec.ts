import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { dropFixture, fixturesDir, tableRows } from './helpers';

const recording = 'tachyon/web-py315-tachyon';
// One recording's collapsed and gecko outputs hold the same stacks: the collapsed file's truth is both's.
const truth = JSON.parse(readFileSync(resolve(fixturesDir, `${recording}.collapsed.truth.json`), 'utf8')) as {
  samples: number;
  threads: Record<string, number>;
  stacks: Record<string, number>;
};

for (const fixture of [`${recording}.collapsed`, `${recording}.gecko.json`])
  test(`a recording of several threads (${fixture}): all shown, one left out, the rest merged, the choice in the address`, async ({
    page,
  }) => {
    const [main, ...others] = Object.keys(truth.threads);
    const rest = truth.samples - truth.threads[main];
    await page.goto('./');
    await dropFixture(page, fixture);
    await expect(page.getByTestId('summary')).toHaveText(`${truth.samples} samples`);
    const picker = page.getByTestId('thread-picker');
    await expect(picker.locator('summary')).toHaveText(`Threads: all ${others.length + 1}`);

    await picker.locator('summary').click();
    await picker.getByLabel(main).uncheck();
    await expect(page.getByTestId('summary')).toHaveText(`${rest} samples`);
    await expect(picker.locator('summary')).toHaveText(`Threads: ${others.length} of ${others.length + 1}`);
    expect(new URL(page.url()).hash).toMatch(/threads=[\d%C]+/);
    // Each thread is a root of its own: the thread rows are in the table, the main thread's not.
    const names = (await tableRows(page)).map((r) => r[4]);
    expect(names).toContain(others[0]);
    expect(names).not.toContain(main);

    await picker.getByLabel('merge threads').check();
    await expect(page.getByTestId('summary')).toHaveText(`${rest} samples`);
    expect(new URL(page.url()).hash).toContain('merge=1');
    // Merged: no thread frame is left, and one function holds every sample of the threads shown.
    const merged = await tableRows(page);
    expect(merged.some((r) => r[4].startsWith('tid:'))).toBe(false);
    await page.getByRole('tab', { name: 'Flame graph' }).click();
    await page.getByTestId('graph-search').fill('Thread._bootstrap');
    const bootstrap = (inMain: boolean) =>
      Object.entries(truth.stacks)
        .filter(([stack]) => stack.includes('Thread._bootstrap') && (inMain || !stack.startsWith(`${main};`)))
        .reduce((sum, [, n]) => sum + n, 0);
    await expect(page.getByTestId('matched')).toHaveText(`${((100 * bootstrap(false)) / rest).toFixed(1)} % matched`);

    await picker.getByRole('button', { name: 'Show all' }).click();
    await expect(picker.locator('summary')).toHaveText(`Threads: all ${others.length + 1}, merged`);
    await expect(page.getByTestId('matched')).toHaveText(
      `${((100 * bootstrap(true)) / truth.samples).toFixed(1)} % matched`,
    );
  });
