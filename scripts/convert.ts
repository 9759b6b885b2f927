import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { ProfileError, type Profile } from '../workers/model';
import { openProfile } from '../workers/open-profile';
import { toPstatsJson } from '../workers/pstats-json';
import { pstatsCsv } from '../workers/table-csv';

const usage = 'usage: npm run convert -- FILE --to json|csv';

type Target = 'json' | 'csv';
const writers: Record<Target, (p: Profile) => string> = {
  json: (p) => JSON.stringify(toPstatsJson(p)) + '\n',
  csv: pstatsCsv,
};

async function main(args: string[]): Promise<number> {
  const at = args.indexOf('--to');
  const target = at >= 0 ? args[at + 1] : undefined;
  const files = args.filter((a, i) => a !== '--to' && i !== at + 1);
  if (files.length !== 1 || !target || !(target in writers)) {
    console.error(usage);
    return 2;
  }
  const path = files[0];
  let blob: Blob;
  try {
    blob = await openAsBlob(path);
  } catch {
    console.error(`kiln: cannot read ${path}`);
    return 1;
  }
  try {
    const profile = await openProfile(blob, basename(path));
    process.stdout.write(writers[target as Target](profile));
    return 0;
  } catch (e) {
    if (e instanceof ProfileError) {
      console.error(`kiln: cannot convert ${path}: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
