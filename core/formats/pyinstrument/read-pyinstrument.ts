/**
 * pyinstrument's files (pyinstrument 4 and 5):
 * - a session (`-r pyisession`, `Session.save`): JSON whose `frame_records` are `[[frame, …root
 *   first], seconds]`, a frame `function\0file\0defline` then attributes after `\1` (`l<line>`,
 *   `c<Class>`) that do not make it another frame; the first frame is the thread,
 *   `MainThread\0<thread>\0IDENT`. Records follow one another in time, so they make the timeline.
 * - `-r json`: `root_frame`, a tree of `{function, file_path, line_no, time, children}`.
 * - `-r html`: the page embeds `const sessionData = {"session": …, "frame_tree": {identifier,
 *   time, attributes, children}}`, read here as JSON text; the page's scripts are never run.
 * Trees give each node's total time: its own is that less its children's. pyinstrument's `[self]`
 * nodes hold their parent's own time and are read as the parent's.
 */
import { FrameKind, ProfileError, type Profile } from '~/core/model/profile';
import { StackProfileBuilder } from '../stack-profile';
import { decodeText, isRecord, own, ownArray, ownNumber, ownString, parseJson } from '../json/json-value';
import {
  JsonSplit,
  parseAt,
  splitJsonBytes,
  type ArrayReader,
  type JsonPath,
  type SplitJson,
} from '../json/json-split';
import { concat } from '~/core/io/file-bytes';

export const SESSION_DATA = 'const sessionData = ';
const THREAD_FILE = '<thread>';
const OWN_TIME = '[self]';

/** The frame of pyinstrument's identifier `function\0file\0line` (attributes after `\1` dropped). */
function identifierFrame(identifier: string, b: StackProfileBuilder): number {
  const end = identifier.indexOf('\u0001');
  const [name = '', file = '', lineText = ''] = (end < 0 ? identifier : identifier.slice(0, end)).split('\u0000');
  if (file === THREAD_FILE) return b.frame(`thread (${lineText}): ${name}`, '', -1, FrameKind.thread);
  const line = /^\d+$/.test(lineText) ? Number(lineText) : -1;
  return b.frame(name, file, line);
}

/** A session's frame records, read one by one as they arrive; each identifier's frame found once. */
class FrameRecords implements ArrayReader {
  private lane = -1;
  private stack = new Int32Array(64);
  private now = 0;
  private readonly frames = new Map<string, number>();
  /** Whether the records were read as they arrived. */
  arrived = false;

  constructor(private readonly b: StackProfileBuilder) {}

  readonly choose = (path: JsonPath): ArrayReader | undefined => {
    if (path.length !== 1 || path[0] !== 'frame_records') return undefined;
    if (this.arrived) throw new ProfileError('this pyinstrument session has two frame_records lists');
    this.arrived = true;
    return this;
  };

  values(records: unknown[], first: number): void {
    const b = this.b;
    if (this.lane < 0) this.lane = b.lane();
    for (let k = 0; k < records.length; k++) {
      const record = records[k];
      const frames = Array.isArray(record) ? record[0] : undefined;
      const seconds = Array.isArray(record) ? record[1] : undefined;
      if (!Array.isArray(frames) || typeof seconds !== 'number' || !(seconds >= 0) || !Number.isFinite(seconds)) {
        b.invalid(first + k + 1);
        continue;
      }
      if (frames.length > this.stack.length)
        this.stack = new Int32Array(Math.max(frames.length, 2 * this.stack.length));
      const stack = this.stack;
      let d = 0;
      for (const f of frames) {
        if (typeof f !== 'string') continue;
        let id = this.frames.get(f);
        if (id === undefined) this.frames.set(f, (id = identifierFrame(f, b)));
        if (!(f.startsWith(OWN_TIME) && d > 0)) stack[d++] = id;
      }
      const leaf = b.add(stack, d, seconds);
      b.interval(this.lane, this.now * 1e6, (this.now + seconds) * 1e6, leaf);
      this.now += seconds;
    }
  }
}

/** A tree of frames whose `time` is their total: walked with a stack of its own, never recursively. */
function readTree(root: unknown, frameOf: (node: unknown) => number | undefined, b: StackProfileBuilder): void {
  const todo: { node: unknown; parent: number }[] = [{ node: root, parent: -1 }];
  while (todo.length > 0) {
    const { node, parent } = todo.pop()!;
    const frame = frameOf(node);
    const time = ownNumber(node, 'time');
    if (frame === undefined || time === undefined || time < 0) {
      b.invalid(todo.length + 1);
      continue;
    }
    const children = ownArray(node, 'children') ?? [];
    let inChildren = 0;
    for (const c of children) inChildren += Math.max(ownNumber(c, 'time') ?? 0, 0);
    if (frame < 0) {
      if (parent >= 0) b.addAt(parent, time);
      continue;
    }
    const at = b.tree.step(parent, frame);
    b.addAt(at, Math.max(time - inChildren, 0));
    for (let i = children.length - 1; i >= 0; i--) todo.push({ node: children[i], parent: at });
  }
}

/** The frame of a `-r json` node; -1 for a `[self]` node; undefined when it names none. */
function jsonFrame(b: StackProfileBuilder): (node: unknown) => number | undefined {
  return (node) => {
    const name = ownString(node, 'function');
    if (name === undefined) return undefined;
    const file = ownString(node, 'file_path') ?? '';
    if (name === OWN_TIME && !file) return -1;
    const line = ownNumber(node, 'line_no');
    return b.frame(name, file, line !== undefined && Number.isInteger(line) && line >= 0 ? line : -1);
  };
}

function htmlFrame(b: StackProfileBuilder): (node: unknown) => number | undefined {
  return (node) => {
    const identifier = ownString(node, 'identifier');
    if (identifier === undefined) return undefined;
    return identifier.startsWith(OWN_TIME) ? -1 : identifierFrame(identifier, b);
  };
}

/** The JSON object that starts at `from` in `text`: its end found by matching braces outside strings. */
function embeddedObject(text: string, from: number): string {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return text.slice(from, i + 1);
  }
  throw new ProfileError('the session embedded in this pyinstrument page ends before it closes');
}

const WHAT = 'a pyinstrument file';

export function parsePyinstrument(bytes: Uint8Array, fileName: string): Profile {
  if (isPage(bytes)) return parsePage(decodeText(bytes), fileName);
  const b = new StackProfileBuilder();
  const records = new FrameRecords(b);
  return readSplit(splitJsonBytes(bytes, records.choose, WHAT), records, b, fileName);
}

/** Reads a pyinstrument file as its bytes arrive: a session's records one by one; a page whole. */
export async function parsePyinstrumentStream(data: ReadableStream<Uint8Array>, fileName: string): Promise<Profile> {
  const reader = data.getReader();
  let r = await reader.read();
  while (!r.done && r.value.length === 0) r = await reader.read();
  if (!r.done && isPage(r.value)) {
    const chunks: Uint8Array[] = [];
    for (; !r.done; r = await reader.read()) chunks.push(r.value);
    return parsePage(decodeText(concat(chunks)), fileName);
  }
  const b = new StackProfileBuilder();
  const records = new FrameRecords(b);
  const split = new JsonSplit(records.choose, WHAT);
  for (; !r.done; r = await reader.read()) split.push(r.value);
  return readSplit(split.end(), records, b, fileName);
}

/** Whether the data is a page pyinstrument wrote (it starts with markup), not JSON. */
const isPage = (bytes: Uint8Array) => /^\s*</.test(decodeText(bytes.subarray(0, 1024)));

function readSplit(split: SplitJson, records: FrameRecords, b: StackProfileBuilder, fileName: string): Profile {
  const data = parseAt(split.rest, WHAT, split.fileOffset);
  const root = own(data, 'root_frame');
  const list = ownArray(data, 'frame_records');
  if (list) {
    // Records not read as they arrived (a file in UTF-16) are read from the parsed list.
    if (!records.arrived) records.values(list, 0);
  } else if (isRecord(root)) readTree(root, jsonFrame(b), b);
  else if (root === null) throw new ProfileError('this pyinstrument file records no frames (root_frame is null)');
  else throw new ProfileError('this pyinstrument file has neither frame_records nor a root_frame');
  return finish(b, fileName, ownNumber(data, 'start_time'));
}

function parsePage(text: string, fileName: string): Profile {
  const b = new StackProfileBuilder();
  const at = text.indexOf(SESSION_DATA);
  if (at < 0) throw new ProfileError('this pyinstrument page holds no session data (const sessionData)');
  const data = parseJson(embeddedObject(text, at + SESSION_DATA.length), 'the session of a pyinstrument page');
  const tree = own(data, 'frame_tree');
  if (!isRecord(tree)) throw new ProfileError('this pyinstrument page records no frames (its frame_tree is empty)');
  readTree(tree, htmlFrame(b), b);
  return finish(b, fileName, ownNumber(own(data, 'session'), 'start_time'));
}

function finish(b: StackProfileBuilder, fileName: string, startTime: number | undefined): Profile {
  if (b.invalidLines > 0)
    b.warnings.push(`${b.invalidLines} frames or records were not readable (a time or name missing) and were skipped.`);
  return b.build('pyinstrument', 'seconds', fileName, (startTime ?? 0) * 1e6);
}
