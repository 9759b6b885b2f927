import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { formatDuration } from '~/src/weights';
import { comparableFile, comparableName } from '~/core/analysis/compare';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { stringAt } from '~/core/model/string-pack';
import { dropFixture, dropTransfer, fixturesDir, tableRows, chooseFromMenu } from './helpers';
import { kept } from './library-db';

interface Entry {
  func: [string, number, string];
  tt: number;
  ct: number;
  nc: number;
  cc: number;
}
const truth = (name: string): { total_tt: number; entries: Entry[] } =>
  JSON.parse(readFileSync(resolve(fixturesDir, `pstats/out/${name}.json`), 'utf8'));

/** Per function (file, name and def line), the change of tottime between two truth files, largest growth first; a missing side is 0. */
function tottimeChanges(before: { entries: Entry[] }, after: { entries: Entry[] }): { label: string; d: number }[] {
  const key = (e: Entry) => `${comparableFile(e.func[0])}\0${comparableName(e.func[0], e.func[2])}\0${e.func[1]}`;
  const label = ([file, line, name]: Entry['func']) =>
    file === '~' ? `{${name.slice(1, -1)}}` : `${file}:${line}(${name})`;
  const changes = new Map<string, { label: string; d: number }>();
  for (const e of before.entries) changes.set(key(e), { label: label(e.func), d: -e.tt });
  for (const e of after.entries) changes.set(key(e), { label: label(e.func), d: e.tt + (changes.get(key(e))?.d ?? 0) });
  return [...changes.values()].sort((a, b) => b.d - a.d);
}
const sign = (d: number) => (d > 0 ? '+' : d < 0 ? '−' : '');

test('compare two profiles: totals, sort by delta, differential flame graph', async ({ page }) => {
  const before = truth('seeds-py311-cprofile'),
    after = truth('seeds-py312-cprofile');
  await page.goto('./');
  await dropFixture(page, 'pstats/out/seeds-py311-cprofile.prof');
  await expect(page.getByTestId('file-name')).toContainText('seeds-py311-cprofile.prof');
  await page.getByTestId('compare-input').setInputFiles(resolve(fixturesDir, 'pstats/out/seeds-py312-cprofile.prof'));

  const change = (100 * (after.total_tt - before.total_tt)) / before.total_tt;
  await expect(page.getByTestId('compare-totals')).toContainText(
    `${before.total_tt.toFixed(3)} s → ${after.total_tt.toFixed(3)} s (${change > 0 ? '+' : '−'}${Math.abs(change).toFixed(1)} %)`,
  );

  const ranked = tottimeChanges(before, after);

  // Compare mode opens sorted by the change of tottime, largest growth first; a click reverses it.
  await expect(page.locator('.th[data-column="tottime:delta"]')).toHaveAttribute('aria-sort', 'descending');
  let top = (await tableRows(page))[0];
  expect(top[0]).toBe(ranked[0].label);
  expect(top[4]).toBe(`${sign(ranked[0].d)}${formatDuration(Math.abs(ranked[0].d))}`);
  await page.locator('.th[data-column="tottime:delta"]').click();
  top = (await tableRows(page))[0];
  const shrunk = ranked[ranked.length - 1];
  expect(top[0]).toBe(shrunk.label);
  expect(top[4]).toBe(`${sign(shrunk.d)}${formatDuration(Math.abs(shrunk.d))}`);

  await page.getByRole('tab', { name: 'Diff flame graph' }).click();
  await expect(page.getByTestId('diff-flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
  // Its SVG keeps what the view shows: the change's colours, both values in each title.
  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'SVG' }).click(),
  ]);
  expect(svgDownload.suggestedFilename()).toBe('seeds-py311-cprofile-vs-seeds-py312-cprofile-diff.svg');
  const svg = readFileSync(await svgDownload.path(), 'utf8');
  expect(svg).toContain('seeds-py311-cprofile.prof → seeds-py312-cprofile.prof — diff flame graph');
  expect(svg).toMatch(/<title>[^<]*\nits path of functions, before: [^<]*, after: [^<]*\nchange: [^<]*<\/title>/);
  expect(svg).toMatch(/fill="hsl\((4 78%|218 72%)/);

  // The address names both sides by their keys in the library: a reload compares them again, on the same tab.
  await kept(page, 'seeds-py312-cprofile.prof', { last: true });
  await expect(page).toHaveURL(/#view=diff&.*base=[0-9a-f]{64}&next=[0-9a-f]{64}$/);
  const link = page.url();
  await page.reload();
  await expect(page.getByTestId('compare-totals')).toContainText(
    'seeds-py311-cprofile.prof → seeds-py312-cprofile.prof',
  );
  await expect(page.getByRole('tab', { name: 'Diff flame graph' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('error')).toHaveCount(0);

  // The link still compares the same two once another profile has been opened since.
  await dropFixture(page, 'folded/sampler-py311.folded');
  await kept(page, 'sampler-py311.folded', { last: true });
  await page.goto(link);
  await page.reload();
  await expect(page.getByTestId('compare-totals')).toContainText(
    'seeds-py311-cprofile.prof → seeds-py312-cprofile.prof',
  );
  await expect(page).toHaveURL(link);

  // A baseline this browser's library lacks: the profile opens on its own, and the page says why.
  await page.goto(`./#view=compare&base=${'0'.repeat(64)}`);
  await page.reload();
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
  await expect(page.getByTestId('compare-totals')).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Table' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('error')).toContainText(
    'The baseline this address compares with is not in this browser’s library',
  );
});

test('export the flame graph as SVG: valid XML with frame names as text', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'pstats/out/seeds-py312-cprofile.prof');
  await page.getByRole('tab', { name: 'Flame graph' }).click();
  await expect(page.getByTestId('flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'SVG' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('seeds-py312-cprofile-flame.svg');
  const svg = readFileSync(await download.path(), 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      texts: Array.from(doc.querySelectorAll('text'), (t) => t.textContent),
    };
  }, svg);
  expect(parsed.error).toBeNull();
  expect(parsed.texts).toContain('seeds');
  expect(parsed.texts).toContain('first_method');
});

test('compare with a profile from the library', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'pstats/out/seeds-py311-cprofile.prof');
  await expect(page.getByTestId('file-name')).toContainText('seeds-py311-cprofile.prof');
  await dropFixture(page, 'pstats/out/seeds-py312-cprofile.prof');
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByRole('button', { name: 'Compare seeds-py311-cprofile.prof with the open profile' }).click();
  await expect(page.getByTestId('compare-totals')).toContainText(
    'seeds-py312-cprofile.prof → seeds-py311-cprofile.prof',
  );
});

test('export the table as shown: filtered and sorted, numbers at full precision', async ({ page }) => {
  const t = truth('seeds-py312-cprofile');
  await page.goto('./');
  await dropFixture(page, 'pstats/out/seeds-py312-cprofile.prof');
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
  await page.getByLabel('Filter functions').fill('workloads.py');
  await page.locator('.th[data-column="tottime"]').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    chooseFromMenu(page, 'Export…', 'Table as CSV'),
  ]);
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  expect(lines[0]).toBe('ncalls,primitive_calls,tottime,tottime%,tpercall,cumtime,cumtime%,cpercall,function,where');
  const expected = t.entries.filter((e) => e.func[0].endsWith('workloads.py')).sort((a, b) => b.tt - a.tt);
  expect(lines.length - 1).toBe(expected.length);
  const first = lines[1].split(',');
  expect(first.slice(0, 3).map(Number)).toEqual([expected[0].nc, expected[0].cc, expected[0].tt]);
  expect(first[8]).toBe(`${expected[0].func[0]}:${expected[0].func[1]}(${expected[0].func[2]})`);
  expect(lines.slice(1).every((l) => l.endsWith(',yours'))).toBe(true);
});

test('a profile with idle samples compared with itself: no idle row, no change in the table or the diff flame graph', async ({
  page,
}) => {
  const fixture = 'pyflame/idle-py36-default.samp';
  const t = JSON.parse(readFileSync(resolve(fixturesDir, `${fixture}.truth.json`), 'utf8')) as {
    samples: number;
    idle: number;
  };
  expect(t.idle).toBeGreaterThan(0);
  await page.goto('./');
  await dropFixture(page, fixture);
  await expect(page.getByTestId('file-name')).toContainText('idle-py36-default.samp');
  await page.getByTestId('compare-input').setInputFiles(resolve(fixturesDir, fixture));
  await expect(page.getByTestId('compare-totals')).toContainText(`${t.samples} samples → ${t.samples} samples`);
  const rows = await tableRows(page);
  expect(rows.length).toBeGreaterThan(1);
  for (const row of rows) {
    expect(row[0]).not.toContain('(idle)');
    expect(row[1]).toBe('');
  }
  // As shares of each total, the root function holds all of it on both sides.
  await page.getByLabel('as shares of each total').check();
  expect((await tableRows(page)).some((row) => row[6] === '100.00 %' && row[7] === '100.00 %')).toBe(true);
  await page.getByLabel('as shares of each total').uncheck();

  await page.getByRole('tab', { name: 'Diff flame graph' }).click();
  const canvas = page.getByTestId('diff-flame').locator('canvas');
  await expect(canvas).toHaveAttribute('data-painted', /\d+/);
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 9);
  await expect(page.getByTestId('tooltip')).toContainText(`total: ${t.samples} samples (100.00 %)`);
  await expect(page.getByTestId('tooltip')).toContainText(`before: ${t.samples} samples, after: ${t.samples} samples`);
  await expect(page.getByTestId('tooltip')).toContainText('change: +0 samples');
  await expect(page.locator('.diff-legend')).toContainText('each path of functions compared with the same path');
  // Shares asked for, in one unit: the legend does not blame the units.
  await page.getByLabel('as shares of each total').check();
  await expect(page.locator('.diff-legend')).toContainText("shares of each profile's total");
  await expect(page.locator('.diff-legend')).not.toContainText('units differ');
});

test('after a speed-up the comparison opens on what got faster', async ({ page }) => {
  const before = truth('seeds-py312-cprofile'),
    after = truth('seeds-py311-cprofile');
  expect(after.total_tt).toBeLessThan(before.total_tt);
  await page.goto('./');
  await dropFixture(page, 'pstats/out/seeds-py312-cprofile.prof');
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
  await page.getByTestId('compare-input').setInputFiles(resolve(fixturesDir, 'pstats/out/seeds-py311-cprofile.prof'));
  await expect(page.locator('.th[data-column="tottime:delta"]')).toHaveAttribute('aria-sort', 'ascending');
  const faster = tottimeChanges(before, after).pop()!;
  expect(faster.d).toBeLessThan(0);
  const top = (await tableRows(page))[0];
  expect(top[0]).toBe(faster.label);
  expect(top[4]).toBe(`−${formatDuration(-faster.d)}`);

  // Swapped, the same function got slower by as much, and the address names the sides the other way.
  await expect(page).toHaveURL(/base=[0-9a-f]{64}&next=[0-9a-f]{64}$/);
  const [, base, next] = /base=(\w+)&next=(\w+)$/.exec(page.url())!;
  await page.getByRole('button', { name: 'Swap sides' }).click();
  await expect(page).toHaveURL(new RegExp(`base=${next}&next=${base}$`));
  await expect(page.getByTestId('compare-totals')).toContainText(
    'seeds-py311-cprofile.prof → seeds-py312-cprofile.prof',
  );
  await expect(page.getByTestId('file-name')).toContainText('seeds-py312-cprofile.prof');
  const row = (await tableRows(page)).find((r) => r[0] === faster.label)!;
  expect(row[4]).toBe(`+${formatDuration(-faster.d)}`);
});

test('two files dropped together are compared, older as the baseline; three open as a set', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  const bytes = (name: string) => Array.from(readFileSync(resolve(fixturesDir, `pstats/out/${name}`)));
  const files = [
    { name: 'after.prof', data: bytes('seeds-py312-cprofile.prof'), modified: 2_000 },
    { name: 'later.prof', data: [1, 2, 3], modified: 3_000 },
    { name: 'before.prof', data: bytes('seeds-py311-cprofile.prof'), modified: 1_000 },
  ];
  const transferOf = (list: typeof files) =>
    page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([new Uint8Array(f.data)], f.name, { lastModified: f.modified }));
      return dt;
    }, list);
  await dropTransfer(page, await transferOf(files.filter((f) => f.name !== 'later.prof')));
  await expect(page.getByTestId('compare-totals')).toContainText('before.prof → after.prof');
  await dropTransfer(page, await transferOf(files));
  await expect(page.getByTestId('set-row')).toHaveCount(3);
  await expect(page.getByTestId('set-row').last()).toContainText('later.prof');
  await expect(page.getByTestId('error')).toContainText('1 of 3 files could not be read');

  // An older file that cannot be read leaves the newer one open on its own, and the page says so.
  await dropTransfer(
    page,
    await transferOf([
      { ...files[0], name: 'again.prof' },
      { ...files[1], modified: 500 },
    ]),
  );
  await expect(page.getByTestId('error')).toContainText('Could not open “later.prof”');
  await expect(page.getByTestId('error')).toContainText('“again.prof” is open on its own.');
  await expect(page.getByTestId('file-name')).toContainText('again.prof');
  await expect(page.getByTestId('compare-totals')).toHaveCount(0);
});

test('the before and after sample opens compared, the fixed function first', async ({ page }) => {
  const tottime = (file: string) => {
    const p = parsePstats(new Uint8Array(readFileSync(resolve('public/samples', file))), file);
    const f = Array.from({ length: p.frames.count }, (_, i) => i).find(
      (i) => stringAt(p.strings, p.frames.name[i]) === 'price_of',
    )!;
    return p.pstats!.tt[f];
  };
  const change = tottime('shop-checkout-fixed.prof') - tottime('shop-checkout.prof');
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  await chooseFromMenu(page, 'Open a sample profile', 'shop-checkout-fixed.prof');
  await expect(page.getByTestId('compare-totals')).toContainText('shop-checkout.prof → shop-checkout-fixed.prof');
  const top = (await tableRows(page))[0];
  expect(top[0]).toBe('shop/checkout.py:24(price_of)');
  expect(top[4]).toBe(`−${formatDuration(-change)}`);

  // Drawn over the baseline, the diff flame graph shows the removed scan at its old width, in blue.
  await page.getByRole('tab', { name: 'Diff flame graph' }).click();
  await page.getByLabel(/drawn over the baseline/).check();
  const canvas = page.getByTestId('diff-flame').locator('canvas');
  await expect(canvas).toHaveAttribute('data-painted', /\d+/);
  const box = (await canvas.boundingBox())!;
  // main, checkout, then price_of (80 % of the run) at the left of the third row from the bottom.
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height - 9 - 2 * 18);
  await expect(page.getByTestId('tooltip')).toContainText('price_of');
  await expect(page.getByTestId('tooltip')).toContainText(/change: −1\d\d ms/);
  const share = Number((await page.getByTestId('tooltip').textContent())!.match(/total: [^(]*\(([\d.]+) %\)/)![1]);

  // Over the baseline, the search finds the baseline's frames and says what share of it they hold.
  await page.getByTestId('graph-search').fill('price_of');
  await expect(page.getByTestId('baseline-matched')).toHaveText(/^in the baseline: [\d.]+ % matched$/);
  const matched = Number((await page.getByTestId('baseline-matched').textContent())!.match(/([\d.]+) %/)![1]);
  expect(Math.abs(matched - share)).toBeLessThan(0.06);
  // A click on the baseline's box selects that function in the new profile, as the table does.
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height - 9 - 2 * 18);
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.locator('.tr.selected')).toContainText('price_of');
});

test('a transform applies to both sides of a comparison: the table and the diff flame graph', async ({ page }) => {
  await page.goto('./');
  await dropFixture(page, 'pyspy/web-py311-pyspy.raw');
  await expect(page.getByTestId('file-name')).toContainText('web-py311-pyspy.raw');
  await page.getByTestId('compare-input').setInputFiles(resolve(fixturesDir, 'pyspy/web-py312-pyspy.raw'));
  await expect(page.getByTestId('compare-totals')).toBeVisible();
  const before = await tableRows(page);
  // The first row of code that both runs have: selected, then its samples dropped.
  const row = before.findIndex((cells) => !cells[0].startsWith('thread') && !/^\s*$/.test(cells[2]));
  const name = before[row][0];
  await page.locator('.table-body .tr').nth(row).click();
  const fn = name.split(' (')[0].split(':').pop()!;
  await chooseFromMenu(page, 'Transform…', `Drop samples through ${fn}`);
  await expect(page.getByTestId('transforms')).toHaveAttribute('aria-busy', 'false');
  const after = await tableRows(page);
  expect(after.length).toBeGreaterThan(0);
  expect(after.map((cells) => cells[0])).not.toContain(name);
  await page.getByRole('tab', { name: 'Diff flame graph' }).click();
  await expect(page.getByTestId('diff-flame').locator('canvas')).toHaveAttribute('data-painted', /\d+/);
});

test('the compare table fits 1400 px, and at 1024 px scrolls sideways with its header, the function column kept', async ({
  page,
}) => {
  // 1400 px less a scrollbar of the usual 17 px, which the test browser does not draw.
  await page.setViewportSize({ width: 1400 - 17, height: 800 });
  await page.goto('./');
  await dropFixture(page, 'pstats/out/seeds-py311-cprofile.prof');
  await page.getByTestId('compare-input').setInputFiles(resolve(fixturesDir, 'pstats/out/seeds-py312-cprofile.prof'));
  const body = page.locator('.compare-view .table-body');
  await expect(page.locator('.compare-view .tr').first()).toBeVisible();
  /** Each title's and first row's cell's left and right edges, and the body's, all in page pixels. */
  const edges = () =>
    body.evaluate((b) => {
      const box = (e: Element) => {
        const r = e.getBoundingClientRect();
        return [Math.round(r.left), Math.round(r.right)];
      };
      const row = [...b.querySelectorAll('.tr')].sort(
        (x, y) => x.getBoundingClientRect().top - y.getBoundingClientRect().top,
      )[0];
      return {
        titles: [...b.querySelectorAll('.table-head .th')].map(box),
        cells: [...row.children].map(box),
        body: box(b),
        scrollWidth: b.scrollWidth,
        clientWidth: b.clientWidth,
      };
    });
  let e = await edges();
  expect(e.scrollWidth).toBeLessThanOrEqual(e.clientWidth);
  expect(e.titles).toEqual(e.cells);
  expect(e.titles.at(-1)![1]).toBeLessThanOrEqual(e.body[1]);

  await page.setViewportSize({ width: 1024, height: 800 });
  await expect.poll(async () => (await edges()).clientWidth).toBe(1024);
  e = await edges();
  expect(e.scrollWidth).toBeGreaterThan(e.clientWidth);
  await body.evaluate((b) => (b.scrollLeft = b.scrollWidth));
  e = await edges();
  // Scrolled to its end: the last column in view, its title above it, the function column still at the left.
  expect(e.titles).toEqual(e.cells);
  expect(e.titles.at(-1)![1]).toBeLessThanOrEqual(e.body[1]);
  expect(e.titles[0][0]).toBe(e.body[0]);
});

test("the call tree's Before and Δ columns stand from the first frame of a comparison: the Function column never moves", async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  await chooseFromMenu(page, 'Open a sample profile', 'shop-checkout-fixed.prof');
  await expect(page.getByTestId('compare-totals')).toContainText('shop-checkout.prof → shop-checkout-fixed.prof');
  // Every frame from the click on, where the Function column's head starts, until a row shows its baseline.
  const watch = page.evaluate(
    () =>
      new Promise<number[]>((done) => {
        const seen = new Set<number>();
        const look = () => {
          const head = document.querySelector('.call-tree .table-head .c-name');
          if (head) seen.add(Math.round(head.getBoundingClientRect().left));
          const before = document.querySelector('.call-tree .tr .c-before');
          if (before?.textContent) done([...seen]);
          else requestAnimationFrame(look);
        };
        requestAnimationFrame(look);
      }),
  );
  await page.getByRole('tab', { name: 'Call tree' }).click();
  expect(await watch).toHaveLength(1);
  await expect(page.locator('.call-tree .table-head [role=columnheader]')).toContainText(['Before', 'Δ']);
});
