import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { formatAmount } from '../src/weights';
import { dropFile } from './helpers';

/** austin 3.7.0 `-C -b` on a parent and its two workers (test/data/austin/README.md). */
const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../test/data/austin');
const truth = JSON.parse(readFileSync(resolve(dir, 'multi-children.truth.json'), 'utf8')) as {
  weight: number;
  threads: Record<string, number>;
};
const ms = (us: number) => formatAmount('microseconds', us);

test('an austin MOJO recording of three processes: the Threads menu lists them and their threads, leaving one out leaves out its time', async ({
  page,
}) => {
  await page.goto('./');
  await dropFile(page, 'multi-children.mojo', readFileSync(resolve(dir, 'multi-children.mojo')));
  await expect(page.getByTestId('summary')).toHaveText(ms(truth.weight));
  const picker = page.getByTestId('thread-picker');
  await expect(picker.locator('summary')).toHaveText('Threads: all 3');
  const [parent] = Object.keys(truth.threads);
  await picker.locator('summary').click();
  const [pid, tid] = parent.split(';');
  // Several processes: each a choice, its thread listed under it.
  await expect(picker.getByRole('group', { name: pid }).getByLabel(tid)).toBeChecked();
  await picker.getByRole('checkbox', { name: pid }).uncheck();
  await expect(page.getByTestId('summary')).toHaveText(ms(truth.weight - truth.threads[parent]));
  await expect(picker.locator('summary')).toHaveText('Threads: 2 of 3');
});

test('an austin recording of one process: the Threads menu lists its threads under it, leaving one out leaves out its time', async ({
  page,
}) => {
  const wall = JSON.parse(readFileSync(resolve(dir, 'threads-wall.truth.json'), 'utf8')) as typeof truth;
  const threads = Object.keys(wall.threads);
  const [process] = threads[0].split(';');
  const heaviest = threads.reduce((a, b) => (wall.threads[a] >= wall.threads[b] ? a : b));
  await page.goto('./');
  await dropFile(page, 'threads-wall.mojo', readFileSync(resolve(dir, 'threads-wall.mojo')));
  await expect(page.getByTestId('summary')).toHaveText(ms(wall.weight));
  const picker = page.getByTestId('thread-picker');
  await expect(picker.locator('summary')).toHaveText(`Threads: all ${threads.length}`);
  await picker.locator('summary').click();
  const group = picker.getByRole('group', { name: process });
  // One process: named above its threads, not a choice of its own.
  await expect(group.getByRole('checkbox')).toHaveCount(threads.length);
  await group.getByLabel(heaviest.split(';')[1]).uncheck();
  await expect(page.getByTestId('summary')).toHaveText(ms(wall.weight - wall.threads[heaviest]));
  await expect(picker.locator('summary')).toHaveText(`Threads: ${threads.length - 1} of ${threads.length}`);
  // The process stays a root of the tree, with the threads left below it.
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await expect(page.getByRole('treegrid').getByRole('row').nth(1)).toContainText(process);
});
