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

test('an austin MOJO recording of three processes: the Threads menu lists them, leaving one out leaves out its time', async ({
  page,
}) => {
  await page.goto('./');
  await dropFile(page, 'multi-children.mojo', readFileSync(resolve(dir, 'multi-children.mojo')));
  await expect(page.getByTestId('summary')).toHaveText(ms(truth.weight));
  const picker = page.getByTestId('thread-picker');
  await expect(picker.locator('summary')).toHaveText('Threads: all 3');
  const [parent] = Object.keys(truth.threads);
  await picker.locator('summary').click();
  await picker.getByLabel(parent.split(';')[0]).uncheck();
  await expect(page.getByTestId('summary')).toHaveText(ms(truth.weight - truth.threads[parent]));
  await expect(picker.locator('summary')).toHaveText('Threads: 2 of 3');
});
