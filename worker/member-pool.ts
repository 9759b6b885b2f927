import * as Comlink from 'comlink';
import {
  isPstatsMember,
  setOpener,
  type Ahead,
  type OpenMember,
  type SetInput,
  type SetMember,
} from '~/core/analysis/profile-set';
import { stampOf, type FileStamp } from '~/core/analysis/file-stamp';
import { ToldFunctions, type FunctionStrings } from '~/core/formats/pstats/function-catalog';
import { ProfileError, profileBuffers, pstatsArrays, type Profile, type PstatsTable } from '~/core/model/profile';
import { PstatsMemberReader } from '~/core/formats/pstats/member-reader';
import { readTogether } from '~/core/io/read-together';
import { messageOf } from './file-message';

/**
 * Files each parser has in hand. Reading a file's bytes is a round trip to the browser process;
 * with two in hand the parsers sat idle for half the time waiting for them.
 */
const IN_HAND = 6;

/** A file given to a parser, and what to tell of it once it is opened. */
interface Waiting extends SetInput {
  resolve(member: SetMember): void;
  reject(error: unknown): void;
}

interface Parser {
  /** Files given to it and not yet opened. */
  busy: number;
  /** Files given to it in this turn of the event loop: it reads them together. */
  waiting: Waiting[];
  openAll(files: Waiting[]): Promise<void>;
}

/** Opens a set's files for the worker that merges them; helpers may join while it reads. */
export interface MemberPool {
  open: OpenMember;
  ahead: Ahead;
  /** How many files to hand the parsers at a time, so that each reads several in one go. */
  group: number;
  /** A helper worker, reached through `port`, opens files from now on. */
  join(port: MessagePort): void;
  close(): void;
  /** The stamp of a file given to `open`, as the thread that opened it took it. */
  stamp(blob: Blob): FileStamp;
}

/**
 * The files of a set opened by this worker and by the helper workers the page reaches it with
 * (`join`): each file goes to the parser with the fewest files in hand, and each parser has a few
 * in hand at a time, so the merge never waits for a file while the others are idle. The files a
 * parser is given in one turn are read as one Blob (`readTogether`) and, for a helper, sent in one
 * message and answered in one. The set does not wait for helpers to start: this worker opens files
 * until they join.
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
      waiting: [],
      openAll: async (files) => {
        let answer: HelperAnswer;
        try {
          answer = await remote.parseForMerge(files.map(({ blob, name }) => ({ blob, name })));
        } catch (e) {
          for (const f of files) f.reject(e);
          return;
        }
        source.tell(answer.from, answer.strings);
        answer.results.forEach((result, i) => {
          const file = files[i];
          stamps.set(file.blob, result.stamp);
          if (!result.ok) file.reject(new ProfileError(result.message));
          else if ('profile' in result) file.resolve(result.profile);
          else file.resolve({ ...result.member, source });
        });
      },
    };
  };
  const openSetFile = setOpener();
  const here: Parser = {
    busy: 0,
    waiting: [],
    openAll: async (files) => {
      const read = await readTogether(files.map((f) => f.blob));
      for (const [i, f] of files.entries()) {
        try {
          f.resolve(await openSetFile(read[i], f.name));
        } catch (e) {
          f.reject(e);
        } finally {
          stamps.set(f.blob, stampOf(f.blob));
        }
      }
    },
  };
  const parsers: Parser[] = [here];
  const open: OpenMember = async (blob, name) => {
    // The files started together go to one parser, as one read, while it has room for them.
    const parser =
      parsers.find((p) => p.waiting.length > 0 && p.busy < IN_HAND) ??
      parsers.reduce((least, p) => (p.busy < least.busy ? p : least));
    parser.busy++;
    try {
      return await new Promise<SetMember>((resolve, reject) => {
        if (parser.waiting.push({ blob, name, resolve, reject }) === 1)
          queueMicrotask(() => {
            const files = parser.waiting;
            parser.waiting = [];
            void parser.openAll(files);
          });
      });
    } finally {
      parser.busy--;
    }
  };
  return {
    open,
    ahead: () => IN_HAND * parsers.length,
    group: IN_HAND / 2,
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
 * are the helper's ids, or, for any other file, its profile.
 */
export type MemberResult = (
  | { ok: true; profile: Profile }
  | { ok: true; member: { fileName: string; ids: Int32Array; table: PstatsTable } }
  | { ok: false; message: string }
) & { stamp: FileStamp };

/** A helper's answer for files sent together, with the strings of the functions it has not told before (`from` is the id of the first). */
export interface HelperAnswer {
  results: MemberResult[];
  from: number;
  strings: FunctionStrings;
}

/**
 * What a helper answers the worker that merges a set: files read together and each with one
 * catalog of functions for the set (see `setOpener`), handed over, not copied, with each file's
 * stamp taken here, where reading it has asked for its size already.
 */
export function helperApi() {
  const reader = new PstatsMemberReader();
  const open = setOpener(reader);
  /** Functions of the catalog told to the merging worker. */
  let told = 0;
  return {
    async parseForMerge(files: SetInput[]): Promise<HelperAnswer> {
      const read = await readTogether(files.map((f) => f.blob));
      const results: MemberResult[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const [i, { blob, name }] of files.entries()) {
        try {
          const opened = await open(read[i], name);
          const stamp = stampOf(blob);
          if (!isPstatsMember(opened)) {
            results.push({ ok: true, profile: opened, stamp });
            buffers.push(...profileBuffers(opened));
            continue;
          }
          const { ids, table } = opened;
          results.push({ ok: true, member: { fileName: name, ids, table }, stamp });
          buffers.push(...[ids, ...pstatsArrays(table)].map((a) => a.buffer as ArrayBuffer));
        } catch (e) {
          results.push({ ok: false, message: messageOf(e), stamp: stampOf(blob) });
        }
      }
      // Told once all are read, just before the answer is sent: answers go out in this order.
      const from = told;
      told = reader.catalog.count;
      return Comlink.transfer({ results, from, strings: reader.catalog.stringsSince(from) }, buffers);
    },
  };
}

export type HelperApi = ReturnType<typeof helperApi>;
