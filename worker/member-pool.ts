import * as Comlink from 'comlink';
import { isPstatsMember, setOpener, type Ahead, type OpenMember, type SetMember } from '~/core/analysis/profile-set';
import { stampOf, type FileStamp } from '~/core/analysis/file-stamp';
import { ToldFunctions, type FunctionStrings } from '~/core/formats/pstats/function-catalog';
import { ProfileError, profileBuffers, pstatsArrays, type Profile, type PstatsTable } from '~/core/model/profile';
import { PstatsMemberReader } from '~/core/formats/pstats/member-reader';
import { messageOf } from './file-message';

/**
 * Files each parser has in hand. Reading a file's bytes is a round trip to the browser process;
 * with two in hand the parsers sat idle for half the time waiting for them.
 */
const IN_HAND = 6;

interface Parser {
  /** Files given to it and not yet opened. */
  busy: number;
  open: OpenMember;
}

/** Opens a set's files for the worker that merges them; helpers may join while it reads. */
export interface MemberPool {
  open: OpenMember;
  ahead: Ahead;
  /** A helper worker, reached through `port`, opens files from now on. */
  join(port: MessagePort): void;
  close(): void;
  /** The stamp of a file given to `open`, as the thread that opened it took it. */
  stamp(blob: Blob): FileStamp;
}

/**
 * The files of a set opened by this worker and by the helper workers the page reaches it with
 * (`join`): each file goes to the parser with the fewest files in hand, and each parser has a few
 * in hand at a time, so the merge never waits for a file while the others are idle. The set does
 * not wait for helpers to start: this worker opens files until they join.
 */
export function memberPool(): MemberPool {
  const ports: MessagePort[] = [];
  const stamps = new Map<Blob, FileStamp>();
  const helper = (port: MessagePort): Parser => {
    const remote = Comlink.wrap<HelperApi>(port);
    /** The helper's functions, told as its files come back, in the order it read them. */
    const source = new ToldFunctions();
    return {
      busy: 0,
      open: async (blob, name): Promise<SetMember> => {
        const result = await remote.parseForMerge(blob, name);
        stamps.set(blob, result.stamp);
        if (!result.ok) throw new ProfileError(result.message);
        if ('profile' in result) return result.profile;
        const { fileName, ids, table, from, strings } = result.member;
        source.tell(from, strings);
        return { fileName, source, ids, table };
      },
    };
  };
  const openSetFile = setOpener();
  const openHere: OpenMember = async (blob, name) => {
    try {
      return await openSetFile(blob, name);
    } finally {
      stamps.set(blob, stampOf(blob));
    }
  };
  const parsers: Parser[] = [{ busy: 0, open: openHere }];
  const open: OpenMember = async (blob, name) => {
    const parser = parsers.reduce((least, p) => (p.busy < least.busy ? p : least));
    parser.busy++;
    try {
      return await parser.open(blob, name);
    } finally {
      parser.busy--;
    }
  };
  return {
    open,
    ahead: () => IN_HAND * parsers.length,
    join: (port) => {
      ports.push(port);
      parsers.push(helper(port));
    },
    close: () => ports.forEach((p) => p.close()),
    stamp: (blob) => stamps.get(blob) ?? stampOf(blob),
  };
}

/**
 * A file of a set as a helper hands it to the worker that merges: a pstats table whose functions
 * are the helper's ids, with the strings of those it has not told before (`from` is the id of the
 * first), or, for any other file, its profile.
 */
export type MemberResult = (
  | { ok: true; profile: Profile }
  | {
      ok: true;
      member: { fileName: string; ids: Int32Array; table: PstatsTable; from: number; strings: FunctionStrings };
    }
  | { ok: false; message: string }
) & { stamp: FileStamp };

/**
 * What a helper answers the worker that merges a set: each file read with one catalog of
 * functions for the set (see `setOpener`), handed over, not copied, with the file's stamp taken
 * here, where reading it has asked for its size already.
 */
export function helperApi() {
  const reader = new PstatsMemberReader();
  const open = setOpener(reader);
  /** Functions of the catalog told to the merging worker. */
  let told = 0;
  return {
    async parseForMerge(blob: Blob, fileName: string): Promise<MemberResult> {
      try {
        const opened = await open(blob, fileName);
        const stamp = stampOf(blob);
        if (!isPstatsMember(opened))
          return Comlink.transfer({ ok: true, profile: opened, stamp }, profileBuffers(opened));
        const from = told;
        told = reader.catalog.count;
        const { ids, table } = opened;
        const member = { fileName, ids, table, from, strings: reader.catalog.stringsSince(from) };
        const buffers = [ids, ...pstatsArrays(table)].map((a) => a.buffer as ArrayBuffer);
        return Comlink.transfer({ ok: true, member, stamp }, buffers);
      } catch (e) {
        return { ok: false, message: messageOf(e), stamp: stampOf(blob) };
      }
    },
  };
}

export type HelperApi = ReturnType<typeof helperApi>;
