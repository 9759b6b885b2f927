import { ProfileError, type Profile, type ProfileFormat, type WeightUnit } from '../model/profile';
import { stringAt } from '../model/string-pack';
import { ProfileMerger, statsAddOrder } from './merge';
import { readProfile } from '../formats/open-profile';
import { withCalls } from '../model/profile';

/** One file of a set, as the page hands it over. */
export interface SetInput {
  blob: Blob;
  name: string;
}

/** What the list of a set shows of one of its profiles. */
export interface ProfileSummary {
  format: ProfileFormat;
  unit: WeightUnit;
  /** Its total time or samples (pstats: `total_tt`). */
  total: number;
  /** The function with the most time or samples of its own, and that weight; none for an empty profile. */
  hottest: string | null;
  hottestSelf: number;
}

export type SetRow = ({ ok: true } & ProfileSummary) | { ok: false; message: string };

export interface SetRead {
  /** One row per file, in the order given. */
  rows: SetRow[];
  /** Every file that could be read, merged; null when none could or they do not merge (`mergeError` says why). */
  merged: Profile | null;
  mergeError: string | null;
}

/**
 * Opens a file to be merged: a pstats profile without its own estimated call tree, which the
 * merge does not use (it estimates the merged one) and which costs more than reading the file.
 */
export async function openForMerge(blob: Blob, name: string): Promise<Profile> {
  const opened = await readProfile(blob, name);
  return 'calls' in opened ? withCalls(opened.profile, opened.calls(false)) : opened;
}

export function summarize(p: Profile): ProfileSummary {
  let hottest = -1,
    hottestSelf = 0;
  if (p.pstats) {
    const tt = p.pstats.tt;
    for (let f = 0; f < tt.length; f++) if (tt[f] > hottestSelf || hottest < 0) [hottest, hottestSelf] = [f, tt[f]];
  } else {
    const self = new Float64Array(p.frames.count);
    for (let i = 0; i < p.tree.count; i++) self[p.tree.frame[i]] += p.tree.self[i];
    for (let f = 0; f < self.length; f++) if (self[f] > hottestSelf) [hottest, hottestSelf] = [f, self[f]];
  }
  return {
    format: p.format,
    unit: p.unit,
    total: p.samples,
    hottest: hottest >= 0 ? stringAt(p.strings, p.frames.label[hottest]) : null,
    hottestSelf,
  };
}

/** Done and total bytes of the files read so far. */
export type SetProgress = (done: number, total: number) => void;

/**
 * Reads each file of a set and merges those it can, one at a time, so that only the merge and
 * one file's profile are held at once. A file that cannot be read gets its message and does not
 * stop the others; the first pair that does not merge stops the merge, not the reading.
 */
export async function readSet(
  files: SetInput[],
  open: (blob: Blob, name: string) => Promise<Profile>,
  mergedName: string,
  progress: SetProgress = () => {},
): Promise<SetRead> {
  const rows: SetRow[] = new Array<SetRow>(files.length);
  const merger = new ProfileMerger();
  let mergeError: string | null = null;
  const total = files.reduce((n, f) => n + f.blob.size, 0);
  let done = 0;
  for (const i of statsAddOrder(files.length)) {
    const { blob, name } = files[i];
    try {
      const profile = await open(blob, name);
      rows[i] = { ok: true, ...summarize(profile) };
      if (mergeError === null) mergeError = mergeIn(merger, profile);
    } catch (e) {
      if (!(e instanceof ProfileError || e instanceof RangeError)) throw e;
      rows[i] = { ok: false, message: e.message };
    }
    done += blob.size;
    progress(done, total);
  }
  return { rows, merged: mergeError === null && merger.count ? merger.result(mergedName) : null, mergeError };
}

/** Adds a profile to the merge; why it cannot be, or null. */
function mergeIn(merger: ProfileMerger, p: Profile): string | null {
  try {
    merger.add(p);
    return null;
  } catch (e) {
    if (e instanceof ProfileError) return e.message;
    throw e;
  }
}

/** The files merged (see `readSet`); a file that cannot be read, or does not merge, stops it with a ProfileError. */
export async function mergeFiles(
  files: SetInput[],
  open: (blob: Blob, name: string) => Promise<Profile>,
  mergedName: string,
  progress: SetProgress = () => {},
): Promise<Profile> {
  const merger = new ProfileMerger();
  const total = files.reduce((n, f) => n + f.blob.size, 0);
  let done = 0;
  for (const i of statsAddOrder(files.length)) {
    const { blob, name } = files[i];
    let profile: Profile;
    try {
      profile = await open(blob, name);
    } catch (e) {
      if (e instanceof ProfileError) throw new ProfileError(`“${name}” could not be read: ${e.message}`);
      throw e;
    }
    merger.add(profile);
    done += blob.size;
    progress(done, total);
  }
  return merger.result(mergedName);
}
