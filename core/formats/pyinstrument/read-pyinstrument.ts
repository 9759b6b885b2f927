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

function readSession(session: unknown, b: StackProfileBuilder): void {
  const records = ownArray(session, 'frame_records');
  if (!records) throw new ProfileError('this pyinstrument session has no frame_records');
  const lane = b.lane();
  let stack = new Int32Array(64);
  let now = 0;
  for (let r = 0; r < records.length; r++) {
    const record = records[r];
    const frames = Array.isArray(record) ? record[0] : undefined;
    const seconds = Array.isArray(record) ? record[1] : undefined;
    if (!Array.isArray(frames) || typeof seconds !== 'number' || !(seconds >= 0) || !Number.isFinite(seconds)) {
      b.invalid(r + 1);
      continue;
    }
    if (frames.length > stack.length) stack = new Int32Array(Math.max(frames.length, 2 * stack.length));
    let d = 0;
    for (const f of frames) {
      if (typeof f !== 'string') continue;
      const id = identifierFrame(f, b);
      if (!(f.startsWith(OWN_TIME) && d > 0)) stack[d++] = id;
    }
    const leaf = b.add(stack, d, seconds);
    b.interval(lane, now * 1e6, (now + seconds) * 1e6, leaf);
    now += seconds;
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

export function parsePyinstrument(bytes: Uint8Array, fileName: string): Profile {
  const text = decodeText(bytes);
  const b = new StackProfileBuilder();
  const at = text.indexOf(SESSION_DATA);
  let startTime: number | undefined;
  if (/^\s*</.test(text)) {
    if (at < 0) throw new ProfileError('this pyinstrument page holds no session data (const sessionData)');
    const data = parseJson(embeddedObject(text, at + SESSION_DATA.length), 'the session of a pyinstrument page');
    const tree = own(data, 'frame_tree');
    if (!isRecord(tree)) throw new ProfileError('this pyinstrument page records no frames (its frame_tree is empty)');
    readTree(tree, htmlFrame(b), b);
    startTime = ownNumber(own(data, 'session'), 'start_time');
  } else {
    const data = parseJson(text, 'a pyinstrument file');
    const root = own(data, 'root_frame');
    startTime = ownNumber(data, 'start_time');
    if (ownArray(data, 'frame_records')) readSession(data, b);
    else if (isRecord(root)) readTree(root, jsonFrame(b), b);
    else if (root === null) throw new ProfileError('this pyinstrument file records no frames (root_frame is null)');
    else throw new ProfileError('this pyinstrument file has neither frame_records nor a root_frame');
  }
  if (b.invalidLines > 0)
    b.warnings.push(`${b.invalidLines} frames or records were not readable (a time or name missing) and were skipped.`);
  return b.build('pyinstrument', 'seconds', fileName, (startTime ?? 0) * 1e6);
}
