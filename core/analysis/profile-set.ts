import { ProfileError, type Profile, type ProfileFormat, type WeightUnit } from '../model/profile';
import { stringAt } from '../model/string-pack';
import { ProfileMerger, statsAddOrder } from './merge';
import { readProfile } from '../formats/open-profile';
import { withCalls } from '../model/profile';
import type { FileStamp } from './file-stamp';
import { PstatsMemberReader, type PstatsMember } from '../formats/pstats/member-reader';
import { funcStdString } from '../formats/pstats/pstats-text';

/** One file of a set, as the page hands it over. */
export interface SetInput {
  blob: Blob;
  name: string;
}

/**
 * A set's files as a worker is handed them, in batches: `count` of them, each by its index, once
 * it has come (see `SetArrival`).
 */
export interface ArrivingFiles {
  count: number;
  at(index: number): SetInput | Promise<SetInput>;
}

const arriving = (files: SetInput[] | ArrivingFiles): ArrivingFiles =>
  Array.isArray(files) ? { count: files.length, at: (i) => files[i] } : files;

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
  /** Each file's stamp, in the order given, when the threads that read the files took them. */
  stamps?: FileStamp[];
}

/**
 * Opens a file to be merged: a pstats profile without its own estimated call tree, which the
 * merge does not use (it estimates the merged one) and which costs more than reading the file.
 */
export async function openForMerge(blob: Blob, name: string): Promise<Profile> {
  const opened = await readProfile(blob, name);
  return 'calls' in opened ? withCalls(opened.profile, opened.calls(false)) : opened;
}

/** A file of a set as opened: a profile, or a pstats table read for the list and the merge only. */
export type SetMember = Profile | PstatsMember;

export const isPstatsMember = (m: SetMember): m is PstatsMember => 'source' in m;

/**
 * Opens the files of a set, each as a Blob or its bytes, with one `PstatsMemberReader` for all, so
 * that a function met in an earlier file costs no string; a file it does not take is opened by
 * `openForMerge`, and so is one
 * past `WHOLE_BYTES` unread, which `openForMerge` streams where its format allows rather than hold
 * it whole here first.
 */
export function setOpener(
  reader = new PstatsMemberReader(),
): (file: Blob | Uint8Array<ArrayBuffer>, name: string) => Promise<SetMember> {
  return async (file, name) => {
    if (!(file instanceof Uint8Array) && file.size > WHOLE_BYTES) return openForMerge(file, name);
    const bytes = file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
    return reader.read(bytes, name) ?? openForMerge(new Blob([bytes]), name);
  };
}

const WHOLE_BYTES = 16 << 20;

export function summarize(m: SetMember): ProfileSummary {
  if (isPstatsMember(m)) {
    const { tt } = m.table;
    let hottest = 0;
    for (let f = 1; f < tt.length; f++) if (tt[f] > tt[hottest]) hottest = f;
    const id = m.ids[hottest];
    return {
      format: 'pstats',
      unit: 'seconds',
      total: m.table.totalTt,
      hottest: funcStdString(m.source.file(id), m.source.line(id), m.source.name(id)),
      hottestSelf: tt[hottest],
    };
  }
  const p = m;
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

/**
 * Files read so far, of all. Counted in files, not bytes: a File's size, the first time it is
 * asked for on a thread, is a synchronous round trip to the browser process in Chromium, which
 * for 1,000 files took longer than parsing them; each parser asks for its own files' only.
 */
export type SetProgress = (done: number, total: number) => void;

/** Opens a file of a set; several may be opening at once (the files are read by a pool of workers). */
export type OpenMember = (blob: Blob, name: string) => Promise<SetMember>;

/** How many files may be opening at once: it may grow as parsers join. */
export type Ahead = number | (() => number);

/**
 * The files opened in the order `pstats.Stats(*files)` adds them, each as its profile or what
 * stopped it. Up to `ahead` are opening at once; a file is asked for only once the one `ahead`
 * before it has been handed on, so at most `ahead` profiles wait to be merged.
 */
async function* openedInAddOrder(
  files: ArrivingFiles,
  open: OpenMember,
  ahead: Ahead,
  group: number,
): AsyncGenerator<{ index: number; opened: { profile: SetMember } | { error: unknown } }> {
  const order = statsAddOrder(files.count);
  const inHand = typeof ahead === 'number' ? () => ahead : ahead;
  const opening = new Map<number, Promise<{ profile: SetMember } | { error: unknown }>>();
  let next = 0;
  /** Starts the files up to `ahead` past the `k`-th, once `group` of them can be started at once. */
  const fill = (k: number) => {
    const until = k + Math.max(1, inHand());
    if (until - next < Math.min(group, Math.max(1, inHand()), order.length - next)) return;
    for (; next < order.length && next < until; next++) {
      opening.set(
        next,
        Promise.resolve(files.at(order[next]))
          .then(({ blob, name }) => open(blob, name))
          .then(
            (profile) => ({ profile }),
            (error: unknown) => ({ error }),
          ),
      );
    }
  };
  for (let k = 0; k < order.length; k++) {
    fill(k);
    const opened = await opening.get(k)!;
    opening.delete(k);
    fill(k + 1);
    yield { index: order[k], opened };
  }
}

/**
 * Reads each file of a set and merges those it can, in the order pstats adds them, so that only
 * the merge and the files opening (`ahead` of them, started `group` at a time) are held at once. A file that cannot be read
 * gets its message and does not stop the others; the first pair that does not merge stops the
 * merge, not the reading.
 */
export async function readSet(
  files: SetInput[] | ArrivingFiles,
  open: OpenMember,
  mergedName: string,
  progress: SetProgress = () => {},
  ahead: Ahead = 1,
  group = 1,
): Promise<SetRead> {
  const source = arriving(files);
  const rows: SetRow[] = new Array<SetRow>(source.count);
  const merger = new ProfileMerger();
  let mergeError: string | null = null;
  let done = 0;
  for await (const { index, opened } of openedInAddOrder(source, open, ahead, group)) {
    if ('profile' in opened) {
      rows[index] = { ok: true, ...summarize(opened.profile) };
      if (mergeError === null) mergeError = mergeIn(merger, opened.profile);
    } else {
      const e = opened.error;
      if (!(e instanceof ProfileError || e instanceof RangeError)) throw e;
      rows[index] = { ok: false, message: e.message };
    }
    progress(++done, source.count);
  }
  return { rows, merged: mergeError === null && merger.count ? merger.result(mergedName) : null, mergeError };
}

/** Adds a file to the merge; why it cannot be, or null. */
function mergeIn(merger: ProfileMerger, m: SetMember): string | null {
  try {
    addTo(merger, m);
    return null;
  } catch (e) {
    if (e instanceof ProfileError) return e.message;
    throw e;
  }
}

/** The files merged (see `readSet`); a file that cannot be read, or does not merge, stops it with a ProfileError. */
export async function mergeFiles(
  files: SetInput[],
  open: OpenMember,
  mergedName: string,
  progress: SetProgress = () => {},
  ahead: Ahead = 1,
  group = 1,
): Promise<Profile> {
  const merger = new ProfileMerger();
  let done = 0;
  for await (const { index, opened } of openedInAddOrder(arriving(files), open, ahead, group)) {
    const { name } = files[index];
    if ('error' in opened) {
      const e = opened.error;
      if (e instanceof ProfileError) throw new ProfileError(`“${name}” could not be read: ${e.message}`);
      throw e;
    }
    addTo(merger, opened.profile);
    progress(++done, files.length);
  }
  return merger.result(mergedName);
}

function addTo(merger: ProfileMerger, m: SetMember): void {
  if (isPstatsMember(m)) merger.addMember(m);
  else merger.add(m);
}
