import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { dropFile, dropFixture } from './helpers';

const MiB = 1024 * 1024;

/** `head` and then 128 MiB of one byte, gzip'd: about 130 KB that expand a thousandfold. */
const bomb = (head: string, fill: number) =>
  gzipSync(Buffer.concat([Buffer.from(head), Buffer.alloc(128 * MiB, fill)]), { level: 9 });

test('zip bombs stop with a message once they pass 64 MiB, and the profile open stays', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'folded/sampler-py311.folded');
  await expect(page.getByTestId('summary')).toHaveText('877 samples');

  // The browser inflates no further ahead than it is read, so both stop at the first check.
  await dropFile(page, 'bomb.folded.gz', bomb('a.py:f:1 1\n', 0x61));
  await expect(page.getByTestId('error')).toHaveText(
    /^Could not open “bomb\.folded\.gz”: the gzip data expands more than 500-fold \(64(\.\d)? MiB from \d+(\.\d)? KiB\): a zip bomb, not a profile\.\s*×$/,
  );
  await dropFile(page, 'bomb.prof.gz', bomb('{', 0));
  await expect(page.getByTestId('error')).toHaveText(
    /^Could not open “bomb\.prof\.gz”: the gzip data expands more than 100-fold \(64(\.\d)? MiB from \d+(\.\d)? KiB\): a zip bomb, not a profile\.\s*×$/,
  );
  await expect(page.getByTestId('file-name')).toContainText('sampler-py311.folded');
  await expect(page.getByTestId('summary')).toHaveText('877 samples');
});
