/**
 * Two builds of Kiln opened at the stats table, alternately, on the same files: the table's and
 * the model's times from the hand-off of each file, one line an open.
 * `npx tsx bench/table-ab.ts DIST_A DIST_B ROUNDS FILE...`
 */
import { basename } from 'node:path';
import { openInKiln } from './viewers';
import { serveDirectory } from './serve';

async function main(): Promise<void> {
  const [a, b, rounds, ...files] = process.argv.slice(2);
  const served = [await serveDirectory(a), await serveDirectory(b)];
  for (let r = 0; r < Number(rounds); r++)
    for (const file of files)
      for (const [i, s] of served.entries()) {
        const { times } = await openInKiln(s.url, file, 'table');
        console.log('AB'[i], basename(file), 'table', times.table?.toFixed(0), 'model', times.model?.toFixed(0));
      }
  for (const s of served) await s.close();
}

void main();
