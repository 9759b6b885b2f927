import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { ProfileError, type Profile } from '~/core/model/profile';
import { openProfile } from '~/core/formats/open-profile';
import { toPstatsJson } from '~/core/export/pstats-json';
import { foldedLines } from '~/core/export/folded';
import { tableCsv } from '~/core/export/table-csv';
import { ProfileMerger, statsAddOrder } from '~/core/analysis/merge';
import { openForMerge } from '~/core/analysis/profile-set';

const usage = [
  'usage: npm run convert -- FILE... --to json|csv|folded [--baseline]',
  '  several files are merged as pstats.Stats(*files) merges them;',
  '  a file that holds two profiles (a differential page, two-count lines) gives its new one, or with --baseline its baseline',
].join('\n');

type Target = 'json' | 'csv' | 'folded';
const writers: Record<Target, (p: Profile) => Iterable<string>> = {
  json: (p) => {
    if (!p.pstats)
      throw new ProfileError(
        `--to json writes pstats data, and this is a ${p.format} profile; use --to folded or --to csv`,
      );
    return [JSON.stringify(toPstatsJson(p)) + '\n'];
  },
  csv: (p) => [tableCsv(p)],
  folded: (p) =>
    (function* () {
      for (const line of foldedLines(p)) yield line + '\n';
    })(),
};

async function main(args: string[]): Promise<number> {
  const at = args.indexOf('--to');
  const target = at >= 0 ? args[at + 1] : undefined;
  const baseline = args.includes('--baseline');
  const files = args.filter((a, i) => a !== '--to' && a !== '--baseline' && i !== at + 1);
  if (files.length === 0 || !target || !(target in writers) || (baseline && files.length > 1)) {
    console.error(usage);
    return 2;
  }
  // Files are read one at a time into the merge, in the order pstats adds them.
  const merger = new ProfileMerger();
  let profile: Profile | undefined;
  for (const i of statsAddOrder(files.length)) {
    const path = files[i];
    let blob: Blob;
    try {
      blob = await openAsBlob(path);
    } catch {
      console.error(`kiln: cannot read ${path}`);
      return 1;
    }
    try {
      if (files.length > 1) merger.add(await openForMerge(blob, basename(path)));
      else profile = await openProfile(blob, basename(path));
    } catch (e) {
      if (e instanceof ProfileError) {
        console.error(`kiln: cannot convert ${path}: ${e.message}`);
        return 1;
      }
      throw e;
    }
  }
  if (baseline) {
    if (!profile!.baseline) {
      console.error(`kiln: ${files[0]} holds one profile, no baseline`);
      return 1;
    }
    profile = profile!.baseline;
  }
  try {
    if (files.length > 1) profile = merger.result(`${files.length} profiles merged`);
    for (const chunk of writers[target as Target](profile!)) process.stdout.write(chunk);
    return 0;
  } catch (e) {
    if (e instanceof ProfileError) {
      console.error(`kiln: cannot convert ${files.join(', ')}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
