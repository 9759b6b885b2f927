/**
 * The data of Tachyon's flame graph pages (`--flamegraph`, `--diff-flamegraph`): one line of JSON
 * after `const EMBEDDED_DATA = `, a tree of nodes with names as indices into its `strings`. The
 * page is read as text: the JSON is cut out and parsed, nothing of it runs. Frames are spelled as
 * Tachyon's collapsed stacks spell them, so a page gives the tree the recording's other outputs give.
 */
import { ProfileError, type Profile } from '~/core/model/profile';
import { MAX_STACK_FRAMES, MAX_WEIGHT, type StackCollector } from '../stacks/stack-collector';
import { splitTachyonFrame } from '../stacks/tachyon';

const DATA_START = 'const EMBEDDED_DATA = ';
const HTML_START = /^\s*<!doctype html>/i;
const TACHYON_TITLE = /<title>\s*Tachyon Profiler\b[^<]*<\/title>/;

/** Whether the data's start is a Tachyon report page: an HTML page titled by the profiler. */
export function looksLikeTachyonPage(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head.subarray(0, 4096));
  return HTML_START.test(text) && TACHYON_TITLE.test(text);
}

type Json = unknown;
export type Node = { [key: string]: Json };

export const isNode = (v: Json): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A count of samples: a whole number. */
export const count = (v: Json, what: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_WEIGHT) {
    throw new ProfileError(`${what} should be a count of samples but is ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  return v;
};

/** An amount of samples, which may be a share of one (a differential page's baseline). */
export const amount = (v: Json, what: string): number => {
  if (typeof v !== 'number' || !(v >= 0 && v <= MAX_WEIGHT)) {
    throw new ProfileError(`${what} should be an amount of samples but is ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  return v;
};

/** The page's JSON: the rest of the line that starts it, without the closing `;`. */
function embeddedJson(text: string): string {
  const at = text.indexOf(DATA_START);
  if (at < 0) throw new ProfileError('this Tachyon page holds no flame graph data (no "const EMBEDDED_DATA = ")');
  const from = at + DATA_START.length;
  const newline = text.indexOf('\n', from);
  return text
    .slice(from, newline < 0 ? text.length : newline)
    .trimEnd()
    .replace(/;$/, '');
}

/** The root of the page's tree. */
export function pageData(bytes: Uint8Array): Node {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProfileError('this Tachyon page is not UTF-8 text');
  }
  let root: Json;
  try {
    root = JSON.parse(embeddedJson(text));
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    throw new ProfileError(`the flame graph data of this page is not JSON: ${e instanceof Error ? e.message : e}`);
  }
  if (!isNode(root)) throw new ProfileError('the flame graph data should be an object');
  return root;
}

/** Adds `weight` samples of the stack of the node being visited, under the frame `root` when one is given. */
export type AddStack = (weight: number, root?: number) => void;

/**
 * Walks the frames of the tree under `root`, whose `strings` its names index, root first and
 * without recursion: `visit` gets each frame node and what adds samples of its stack to `c`. A
 * frame is made in `c` when a stack through it is first added, so `c` holds only frames with
 * samples. `what` names the tree in messages.
 */
export function walkFrames(
  root: Node,
  c: StackCollector,
  what: string,
  visit: (node: Node, where: string, add: AddStack) => void,
): void {
  const strings = Object.hasOwn(root, 'strings') ? root.strings : [];
  if (!Array.isArray(strings)) throw new ProfileError(`${what}'s "strings" should be an array`);
  /** A name: an index into `strings`, or (pages written before the string table) the text itself. */
  const text = (v: Json, name: string): string => {
    const s = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < strings.length ? strings[v] : v;
    if (typeof s !== 'string') throw new ProfileError(`${name} should name a string`);
    return s;
  };
  const labels: string[] = [];
  // The frame of each label of the path in `c`; -1 until a stack through it is added.
  const ids = new Int32Array(MAX_STACK_FRAMES);
  let depth = -1;
  const add: AddStack = (weight, rootFrame = -1) => {
    if (weight === 0) return;
    c.begin();
    if (rootFrame >= 0) c.pushId(rootFrame);
    for (let d = 0; d <= depth; d++) {
      if (ids[d] < 0) ids[d] = c.frameId(labels[d], splitTachyonFrame);
      c.pushId(ids[d]);
    }
    c.commit(weight);
  };
  // Nodes to visit and their depths (0 for a root frame); -1 marks the page's own root, no frame.
  const todo: Node[] = [root];
  const todoDepth: number[] = [isFrame(root) ? 0 : -1];
  let nodes = 0;
  while (todo.length > 0) {
    const node = todo.pop()!;
    depth = todoDepth.pop()!;
    const where = `${what}'s node ${nodes++}`;
    if (depth >= MAX_STACK_FRAMES) throw new ProfileError(`a stack holds more than ${MAX_STACK_FRAMES} frames`);
    if (depth >= 0) {
      const file = text(node.filename, `${where}'s filename`);
      const func = text(node.funcname, `${where}'s funcname`);
      const line = node.lineno === undefined || node.lineno === null ? 0 : node.lineno;
      if (typeof line !== 'number' || !Number.isInteger(line)) throw new ProfileError(`${where}'s lineno is no line`);
      labels[depth] = file === '~' && line === 0 ? func : `${basename(file)}:${func}:${line}`;
      ids[depth] = -1;
      visit(node, where, add);
    }
    const children = Object.hasOwn(node, 'children') ? node.children : [];
    if (!Array.isArray(children)) throw new ProfileError(`${where}'s children should be an array`);
    for (let k = children.length - 1; k >= 0; k--) {
      const child = children[k];
      if (!isNode(child)) throw new ProfileError(`a child of ${where} should be an object`);
      todo.push(child);
      todoDepth.push(depth + 1);
    }
  }
}

/** A node's own samples, all threads together. */
export const selfOf = (node: Node, where: string): number =>
  Object.hasOwn(node, 'self') ? count(node.self, `${where}'s self`) : 0;

/** Says how many of the page's samples are in none of its stacks, when some are not. */
export function warnOfLeftOut(profile: Profile, root: Node): void {
  const total = Object.hasOwn(root, 'value') ? count(root.value, "the root's value") : profile.samples;
  if (total > profile.samples) {
    profile.warnings.push(
      `${(total - profile.samples).toLocaleString('en')} of the page's ${total.toLocaleString('en')} samples are in no stack: Tachyon leaves out of its page the frames under 0.1 % of the samples.`,
    );
  }
}

/** Whether a node is a frame (the page's root is one when a single frame held every sample). */
const isFrame = (node: Node) => Object.hasOwn(node, 'filename') && Object.hasOwn(node, 'funcname');

const basename = (file: string) => file.slice(file.lastIndexOf('/') + 1);
