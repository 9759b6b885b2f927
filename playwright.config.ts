import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';

const chromium = process.env.KILN_CHROMIUM ?? '/usr/bin/chromium';
/**
 * A port no other server holds (`npm start` serves on 4173), chosen once: the test workers load
 * this file again and inherit it through the environment.
 */
function freePort(): string {
  const probe =
    "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })";
  return execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim();
}
process.env.KILN_PORT ??= freePort();
const port = Number(process.env.KILN_PORT);

export default defineConfig({
  testDir: 'e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // The CI machine is shared: a test that fails once is run again, and reported as flaky if it then passes.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
