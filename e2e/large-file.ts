import type { Page } from '@playwright/test';
import { dropTransfer } from './helpers';

/**
 * Makes a folded-stacks file of about `megabytes` MB in the page, so that no bytes cross from the
 * test, and drops it. Its stacks are many and deep. `asText`: its function names are not ASCII,
 * so every line is decoded and read as text, and it parses for seconds (plain ASCII lines of that
 * size take a fraction of one): long enough to act on the page while it parses.
 */
export async function dropLargeFolded(
  page: Page,
  name: string,
  megabytes: number,
  { asText = false } = {},
): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, megabytes, mark }) => {
      const lines: string[] = [];
      for (let i = 0; i < 4000; i++) {
        const frames: string[] = [];
        for (let d = 0; d < 30; d++)
          frames.push(
            `/srv/app/pkg${(i * 7 + d) % 97}/mod${d}.py:handler_${mark}${(i + d * 13) % 1009}:${((i * d) % 400) + 1}`,
          );
        lines.push(`${frames.join(';')} ${1 + (i % 9)}\n`);
      }
      const chunk = lines.join('');
      const dt = new DataTransfer();
      dt.items.add(new File(new Array<string>(Math.ceil((megabytes * 1e6) / chunk.length)).fill(chunk), name));
      return dt;
    },
    { name, megabytes, mark: asText ? '\u00e9' : '' },
  );
  await dropTransfer(page, transfer);
}

/** Waits until the file being opened is being read by the parser (past hashing, with progress shown). */
export async function parsing(page: Page, name: string): Promise<void> {
  await page.waitForFunction((name) => {
    const bar = document.querySelector(`[role=progressbar][aria-label="Opening ${name}"]`);
    return bar !== null && Number(bar.getAttribute('aria-valuenow')) > 0;
  }, name);
}
