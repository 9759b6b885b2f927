import { expect, test, type Page } from '@playwright/test';
import { dropFile, folderOfRuns } from './helpers';

const folded = (lines: string[]) => Buffer.from(lines.join('\n') + '\n');
const callTree = (page: Page) => page.getByRole('treegrid', { name: 'Call tree' });
const cursorRow = (page: Page) => page.locator('.call-tree .tr.cursor');

async function openCallTree(page: Page, name: string, lines: string[]): Promise<void> {
  await page.goto('./');
  // The bundled sample shown first, so the drop is not overtaken by it.
  await expect(page.getByTestId('file-name')).toBeVisible();
  await dropFile(page, name, folded(lines));
  await expect(page.getByTestId('file-name')).toContainText(name);
  await page.getByRole('tab', { name: 'Call tree' }).click();
  await expect(callTree(page)).toBeVisible();
}

async function transform(page: Page, item: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Transform…' }).click();
  await page.getByRole('menuitem', { name: item }).click();
  await expect(page.getByTestId('transforms')).not.toHaveAttribute('aria-busy', 'true');
}

for (const width of [1024, 1280])
  test(`call tree weights of five digits and more show whole, ${width} px wide`, async ({ page }) => {
    await page.setViewportSize({ width, height: 700 });
    await openCallTree(page, 'big.folded', ['main;work;inner 36530', 'main;work 11041', 'main;idle 7']);
    await expect(page.locator('.call-tree .tr').first()).toContainText('47,578 samples');
    const cells = await page.$$eval('.call-tree .c-total, .call-tree .c-self', (els) =>
      els.map((e) => ({ text: e.textContent, cut: e.scrollWidth > e.clientWidth, width: e.clientWidth })),
    );
    expect(cells.filter((c) => c.cut)).toEqual([]);
    // The head's column is as wide as the rows' below it.
    expect(new Set(cells.map((c) => c.width)).size).toBe(1);
  });

test('the focus crumb shows the focused function and its ×, the whole path in its title', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const path = [
    'run_the_main_module_of_the_application_server',
    'a_rather_long_module_level_function_name',
    'another_long_function_name_in_the_path',
    'checkout_the_cart_and_send_the_receipt',
  ];
  await openCallTree(page, 'long.folded', [`${path.join(';')} 5`, `${path[0]};other 1`]);
  const grid = callTree(page);
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('*');
  await page.locator('.call-tree .tr', { hasText: path[3] }).click();
  await expect(cursorRow(page)).toContainText(path[3]);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('call-tree-rows')).toHaveText('1 row');
  const crumb = page.getByTestId('last-transform');
  await expect(crumb).toHaveAttribute('title', `Focus: ${path.join(' → ')}`);
  await expect(crumb).toContainText(path[3]);
  // The end of the text, the focused function, is drawn inside the crumb; the × beside it.
  const ends = await crumb.evaluate((el) => {
    const text = el.querySelector('bdi')!.firstChild!;
    const last = document.createRange();
    last.setStart(text, text.textContent!.length - 1);
    last.setEnd(text, text.textContent!.length);
    const box = el.getBoundingClientRect();
    return { last: last.getBoundingClientRect().right, right: box.right, left: box.left };
  });
  expect(ends.last).toBeLessThanOrEqual(ends.right + 0.5);
  expect(ends.last).toBeGreaterThan(ends.left);
  const remove = page.getByRole('button', { name: 'Remove the last transform' });
  await expect(remove).toBeInViewport({ ratio: 1 });
  const box = (await remove.boundingBox())!;
  expect(
    await page.evaluate(
      ([x, y]) => document.elementFromPoint(x, y)?.textContent,
      [box.x + box.width / 2, box.y + box.height / 2],
    ),
  ).toBe('×');
});

test('merging the function under the cursor leaves the cursor on its caller, the rows below it open', async ({
  page,
}) => {
  await openCallTree(page, 'merge.folded', ['main;a;b;c 3', 'main;a;b;f 2', 'main;a;d 1', 'main;e 2']);
  const grid = callTree(page);
  await grid.focus();
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowDown', 'ArrowRight']) await page.keyboard.press(key);
  await expect(cursorRow(page)).toContainText('b');
  await expect(page.getByTestId('call-tree-rows')).toHaveText('7 rows');
  await transform(page, /^Merge b into its callers/);
  await expect(cursorRow(page).locator('.c-name')).toHaveAttribute('title', 'a');
  // a's children now: c, f (from b) and d, all shown.
  await expect(page.getByTestId('call-tree-rows')).toHaveText('6 rows');
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await expect(cursorRow(page).locator('.c-name')).toHaveAttribute('title', 'c');
});

test('hiding library code keeps the rows below it open', async ({ page }) => {
  const lib = '/usr/lib/python3.12/threading.py';
  await openCallTree(page, 'lib.folded', [
    `${lib}:_bootstrap:1;${lib}:_bootstrap_inner:2;${lib}:run:3;app.py:work:4;app.py:step:5;app.py:leaf:6 4`,
    `${lib}:_bootstrap:1;${lib}:_bootstrap_inner:2;${lib}:run:3;app.py:other:7 1`,
  ]);
  await callTree(page).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('*');
  await expect(page.getByTestId('call-tree-rows')).toHaveText('7 rows');
  await transform(page, /^Hide library code/);
  // _bootstrap, work, step, leaf, other: the run of threading.py shown as its first frame.
  await expect(page.getByTestId('call-tree-rows')).toHaveText('5 rows');
});

test('a folder of before/ and after/ runs compares after against before', async ({ page }) => {
  // The after/ files written first: the names decide, not the times.
  const runs = folderOfRuns([
    ['after', ['seeds-py312-cprofile']],
    ['before', ['seeds-py311-cprofile', 'objects-py311-cprofile']],
  ]);
  await page.goto('./');
  await expect(page.getByTestId('file-name')).toBeVisible();
  await page.getByTestId('folder-input').setInputFiles(runs);
  await expect(page.getByTestId('set-row')).toHaveCount(3);
  await expect(page.getByLabel('Baseline group')).toHaveValue('runs/before');
  await expect(page.getByLabel('New group')).toHaveValue('runs/after');
});

test('view tabs are one Tab stop; arrows, Home and End move along them and show the view', async ({ page }) => {
  await openCallTree(page, 'tabs.folded', ['main;a 3', 'main;b 1']);
  const tabs = page.getByRole('tablist', { name: 'Views' }).getByRole('tab');
  const names = await tabs.allTextContents();
  expect(names.length).toBeGreaterThan(3);
  await page.getByRole('tab', { name: 'Call tree' }).focus();
  await page.keyboard.press('ArrowRight');
  const third = page.getByRole('tab', { name: names[2], exact: true });
  await expect(third).toBeFocused();
  await expect(third).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: names[0], exact: true })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: names[names.length - 1], exact: true })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: names[0], exact: true })).toBeFocused();
  // From the tab focused, not the view shown.
  await page.getByRole('tab', { name: names[2], exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: names[3], exact: true })).toHaveAttribute('aria-selected', 'true');
  expect(await tabs.evaluateAll((els) => els.filter((e) => (e as HTMLElement).tabIndex === 0).length)).toBe(1);
  await expect(page.getByRole('button', { name: 'Samples: open a sample profile' })).toHaveText('Samples…');
});
