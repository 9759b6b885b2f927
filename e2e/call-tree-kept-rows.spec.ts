import { expect, test, type Page } from '@playwright/test';
import { dropFile } from './helpers';

/** Functions under the one root `main`, each calling three of its own: f000 is the heaviest, then f001… */
const FUNCTIONS = 120;
const pad = (k: number) => String(k).padStart(3, '0');
const folded = Array.from({ length: FUNCTIONS }, (_, k) =>
  [0, 1, 2].map((j) => `main;f${pad(k)};g${pad(k)}_${j} ${(FUNCTIONS - k) * 10 + 3 - j}`).join('\n'),
).join('\n');

async function openTree(page: Page) {
  await page.goto('./');
  await dropFile(page, 'many-callees.folded', new TextEncoder().encode(`${folded}\n`));
  await expect(page.getByTestId('file-name')).toContainText('many-callees.folded');
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await expect(page.getByTestId('call-tree-rows')).toHaveText(`${FUNCTIONS + 1} rows`);
}

test('rows scrolled past stay in the page and are the same elements when scrolled back to', async ({ page }) => {
  await openTree(page);
  const same = await page.evaluate(async () => {
    const grid = document.querySelector<HTMLElement>('[role=treegrid]')!;
    const frame = () => new Promise((done) => requestAnimationFrame(done));
    const rowNamed = (name: string) =>
      [...grid.querySelectorAll<HTMLElement>('.tr')].find((r) => r.lastElementChild!.textContent!.endsWith(name));
    await frame();
    const before = rowNamed('f003');
    grid.scrollTop = grid.clientHeight;
    await frame();
    await frame();
    const away = !!before?.isConnected && rowNamed('f003') === before;
    grid.scrollTop = 0;
    await frame();
    await frame();
    return { away, back: rowNamed('f003') === before };
  });
  expect(same).toEqual({ away: true, back: true });
});

test('every row in the page, in view or kept outside it, is the right row at its place in every frame', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await openTree(page);
  const result = await page.evaluate(
    async ({ functions, steps }) => {
      const pad = (k: number) => String(k).padStart(3, '0');
      const grid = document.querySelector<HTMLElement>('[role=treegrid]')!;
      const open = new Set<number>();
      /** The rows as they should be: name, level, open or not (null: cannot open). */
      const expected = () => {
        const rows: [string, number, boolean | null][] = [['main', 1, true]];
        for (let k = 0; k < functions; k++) {
          rows.push([`f${pad(k)}`, 2, open.has(k)]);
          if (open.has(k)) for (let j = 0; j < 3; j++) rows.push([`g${pad(k)}_${j}`, 3, null]);
        }
        return rows;
      };
      const wrong: string[] = [];
      let most = 0;
      const check = (when: string) => {
        const want = expected();
        const seen = new Set<number>();
        const drawn = grid.querySelectorAll<HTMLElement>('.tr');
        most = Math.max(most, drawn.length);
        // Where each row is drawn, its block's move included.
        const origin = grid.querySelector('.tree-rows')!.getBoundingClientRect().top;
        for (const r of drawn) {
          const at = (r.getBoundingClientRect().top - origin) / 22;
          const got: [string, number, boolean | null] = [
            r.lastElementChild!.textContent!.replace(/^[▸▾]/, ''),
            Number(r.getAttribute('aria-level')),
            r.hasAttribute('aria-expanded') ? r.getAttribute('aria-expanded') === 'true' : null,
          ];
          if (seen.has(at) || r.dataset.at !== String(at) || JSON.stringify(got) !== JSON.stringify(want[at]))
            wrong.push(`${when}: at ${at} ${JSON.stringify(got)}, not ${JSON.stringify(want[at])}`);
          seen.add(at);
        }
      };
      let seed = 5;
      const pick = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
      /** Opens or closes a function's row found in the page, by its twisty, as a click would. */
      const toggleOne = () => {
        const rows = [...grid.querySelectorAll<HTMLElement>('.tr')].filter((r) => r.getAttribute('aria-level') === '2');
        const row = rows[pick(rows.length)];
        const k = Number(row.lastElementChild!.textContent!.replace(/^[▸▾]f/, ''));
        row.querySelector<HTMLElement>('.twisty')!.click();
        if (!open.delete(k)) open.add(k);
      };
      for (let step = 0; step < steps; step++) {
        await new Promise((done) => requestAnimationFrame(done));
        check(`frame ${step}`);
        const kind = pick(5);
        const screen = grid.clientHeight;
        if (kind === 0) grid.scrollTop += screen;
        else if (kind === 1) grid.scrollTop = Math.max(0, grid.scrollTop - screen);
        else if (kind === 2) grid.scrollTop = pick(grid.scrollHeight);
        else toggleOne();
        // After the step's render, before the frame is painted.
        await Promise.resolve().then(() => Promise.resolve());
        check(`frame ${step}, step ${kind}`);
      }
      return { wrong: wrong.slice(0, 10), most, inView: Math.ceil(grid.clientHeight / 22), opened: open.size };
    },
    { functions: FUNCTIONS, steps: 240 },
  );
  expect(result.wrong).toEqual([]);
  // Rows were kept outside the view along the way, and rows opened.
  expect(result.most).toBeGreaterThan(2 * result.inView);
  expect(result.opened).toBeGreaterThan(3);
});
