import type { Page } from '@playwright/test';

declare global {
  interface Window {
    /** Content-Security-Policy violations reported in this document, as `directive blocked-uri`. */
    __violations?: string[];
  }
}

/**
 * Starts recording what must never happen on a page: Content-Security-Policy violations, errors
 * in the console, uncaught exceptions and dialogs (which are dismissed). Returns a function that
 * reads what was recorded so far in the current document.
 */
export async function watchProblems(page: Page): Promise<() => Promise<string[]>> {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations!.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  return async () => [...problems, ...(await page.evaluate(() => window.__violations ?? []))];
}
