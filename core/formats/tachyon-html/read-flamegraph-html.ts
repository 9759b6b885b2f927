/**
 * Tachyon's flame graph page (`--flamegraph`, `--diff-flamegraph`): a self-contained HTML page
 * whose data is one line of JSON after `const EMBEDDED_DATA = `, a tree of nodes with names as
 * indices into its `strings`, each node's samples per thread in `thread_values` (`{tid: [total,
 * self]}`). The page is read as text: the JSON is cut out and parsed, nothing of it runs. Threads
 * become root frames `tid:N` and frames are spelled as Tachyon's collapsed stacks spell them, so
 * the page gives the tree the recording's other outputs give.
 */
import { ProfileError, type Profile } from '~/core/model/profile';
import { MAX_STACK_FRAMES, MAX_WEIGHT, StackCollector } from '../stacks/stack-collector';
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
type Node = { [key: string]: Json };

const isNode = (v: Json): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

const count = (v: Json, what: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_WEIGHT) {
    throw new ProfileError(`${what} should be a count of samples but is ${JSON.stringify(v)?.slice(0, 40)}`);
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

export function parseFlamegraphHtml(bytes: Uint8Array, fileName: string): Profile {
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
  const strings = Object.hasOwn(root, 'strings') ? root.strings : [];
  if (!Array.isArray(strings)) throw new ProfileError('the flame graph data\'s "strings" should be an array');
  /** A name: an index into `strings`, or (pages written before the string table) the text itself. */
  const text_ = (v: Json, what: string): string => {
    const s = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < strings.length ? strings[v] : v;
    if (typeof s !== 'string') throw new ProfileError(`${what} should name a string`);
    return s;
  };

  const c = new StackCollector();
  const threadFrames = new Map<string, number>();
  const threadFrame = (tid: string) => {
    let f = threadFrames.get(tid);
    if (f === undefined) threadFrames.set(tid, (f = c.frameId(`tid:${tid}`, splitTachyonFrame)));
    return f;
  };
  const path = new Int32Array(MAX_STACK_FRAMES);
  // Nodes to visit and their depths (0 for a root frame); -1 marks the page's own root, no frame.
  const todo: Node[] = [root];
  const todoDepth: number[] = [isFrame(root) ? 0 : -1];
  let nodes = 0;
  while (todo.length > 0) {
    const node = todo.pop()!;
    const depth = todoDepth.pop()!;
    const where = `node ${nodes++}`;
    if (depth >= MAX_STACK_FRAMES) throw new ProfileError(`a stack holds more than ${MAX_STACK_FRAMES} frames`);
    if (depth >= 0) {
      const file = text_(node.filename, `${where}'s filename`);
      const func = text_(node.funcname, `${where}'s funcname`);
      const line = node.lineno === undefined || node.lineno === null ? 0 : node.lineno;
      if (typeof line !== 'number' || !Number.isInteger(line)) throw new ProfileError(`${where}'s lineno is no line`);
      const label = file === '~' && line === 0 ? func : `${basename(file)}:${func}:${line}`;
      path[depth] = c.frameId(label, splitTachyonFrame);
      addSamples(c, node, where, path, depth, threadFrame);
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
  if (c.stackLines === 0) throw new ProfileError('the flame graph holds no samples');
  const { profile } = c.build({ format: 'tachyon-flamegraph', unit: 'samples', fileName });
  const total = Object.hasOwn(root, 'value') ? count(root.value, "the root's value") : profile.samples;
  if (total > profile.samples) {
    profile.warnings.push(
      `${(total - profile.samples).toLocaleString('en')} of the page's ${total.toLocaleString('en')} samples are in no stack: Tachyon leaves out of its page the frames under 0.1 % of the samples.`,
    );
  }
  const stats = root.stats;
  if (isNode(stats) && stats.is_differential === true) {
    profile.warnings.push(
      'This is a differential flame graph: Kiln shows its current profile. To compare, open the baseline recording and this one side by side.',
    );
  }
  return profile;
}

/** Whether a node is a frame (the page's root is one when a single frame held every sample). */
const isFrame = (node: Node) => Object.hasOwn(node, 'filename') && Object.hasOwn(node, 'funcname');

const basename = (file: string) => file.slice(file.lastIndexOf('/') + 1);

/** Adds the node's own samples, per thread when the page says which thread took them. */
function addSamples(
  c: StackCollector,
  node: Node,
  where: string,
  path: Int32Array,
  depth: number,
  threadFrame: (tid: string) => number,
): void {
  const perThread = node.thread_values;
  if (isNode(perThread)) {
    for (const [tid, values] of Object.entries(perThread)) {
      if (!/^\d{1,20}$/.test(tid)) throw new ProfileError(`${where} names a thread "${tid.slice(0, 40)}"`);
      if (!Array.isArray(values) || values.length < 2) {
        throw new ProfileError(`${where}'s samples of thread ${tid} should be [total, self]`);
      }
      const self = count(values[1], `${where}'s self samples in thread ${tid}`);
      if (self === 0) continue;
      c.begin();
      c.pushId(threadFrame(tid));
      for (let d = 0; d <= depth; d++) c.pushId(path[d]);
      c.commit(self);
    }
    return;
  }
  const self = Object.hasOwn(node, 'self') ? count(node.self, `${where}'s self`) : 0;
  if (self === 0) return;
  c.begin();
  for (let d = 0; d <= depth; d++) c.pushId(path[d]);
  c.commit(self);
}
