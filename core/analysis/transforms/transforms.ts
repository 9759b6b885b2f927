/**
 * Transforms of a profile's call tree, each a pure function Profile → Profile: they stack, and
 * every view reads the result. Functions are named by a frame id and matched by function, so a
 * transform on one line of a sampled function acts on all its lines.
 */
import { FrameKind, type FrameTable, type Profile } from '../../model/profile';
import { stringAt } from '../../model/string-pack';
import { functionOf } from '../function-of';
import { libraryKindOf, libraryKindTitle, type LibraryKind } from './library-code';
import { DROPPED, NOWHERE, rewriteTree, withAddedFrames, type PlaceNode } from './rewrite-tree';

export type Transform =
  /** Only the samples through one place (a path of functions from a root), rooted there. */
  | { kind: 'focus-subtree'; path: number[] }
  /** Only what the function and its callees did, merged over every place it was called from. */
  | { kind: 'focus-function'; frame: number }
  /** The function's frames taken out of the stacks: its time goes to its callers. */
  | { kind: 'merge-function'; frame: number }
  /** The samples that pass through the function left out. */
  | { kind: 'drop-function'; frame: number }
  /** The function calling itself directly shown as one call. */
  | { kind: 'collapse-direct-recursion'; frame: number }
  /** The function called again anywhere below itself shown as one call, what lay between left out. */
  | { kind: 'collapse-recursion'; frame: number }
  /** Every run of frames in a file, or in the files under a directory, as one frame named by it. */
  | { kind: 'collapse-resource'; path: string }
  /** Every run of frames of a kind of library as one frame. */
  | { kind: 'collapse-library'; library: LibraryKind }
  /** Each run of library frames shown as its first frame, the one the user's code called. */
  | { kind: 'hide-library' };

/**
 * Whether each function left in the tree still made every call the run's pstats counts: true where
 * a transform takes frames out or joins them, false where it leaves samples out (focus, drop).
 */
export const keepsEveryCall = (t: Transform): boolean =>
  t.kind !== 'focus-subtree' && t.kind !== 'focus-function' && t.kind !== 'drop-function';

const fileOf = (p: Profile, f: number) => stringAt(p.strings, p.frames.file[f]);
const isRoot = (p: Profile, f: number) => (p.frames.kind?.[f] ?? FrameKind.code) !== FrameKind.code;

/** The rule of `focusSubtree`; null for a path of frames the profile does not have. */
function focusSubtreeRule(p: Profile, path: number[]): PlaceNode | null {
  const fn = functionOf(p);
  const { tree } = p;
  const k = path.length;
  if (!k || path.some((f) => !(f >= 0 && f < fn.length))) return null;
  const want = path.map((f) => fn[f]);
  // How much of the path the path to each node matched; k inside the focused subtree.
  const matched = new Int32Array(tree.count);
  return (i, up, out) => {
    const parent = tree.parent[i];
    const before = parent < 0 ? 0 : matched[parent];
    const frame = tree.frame[i];
    if (before === k) {
      matched[i] = k;
      return out.step(up, frame);
    }
    if (fn[frame] !== want[before]) return DROPPED;
    matched[i] = before + 1;
    return matched[i] === k ? out.step(NOWHERE, frame) : NOWHERE;
  };
}

export function focusSubtree(p: Profile, path: number[]): Profile {
  const place = focusSubtreeRule(p, path);
  return place ? rewriteTree(p, place) : p;
}

function focusFunctionRule(p: Profile, frame: number): PlaceNode {
  const fn = functionOf(p);
  const f = fn[frame];
  const { tree } = p;
  const inside = new Uint8Array(tree.count);
  return (i, up, out) => {
    const parent = tree.parent[i];
    const fr = tree.frame[i];
    if (parent >= 0 && inside[parent]) {
      inside[i] = 1;
      return out.step(up, fr);
    }
    if (fn[fr] !== f) return NOWHERE;
    inside[i] = 1;
    return out.step(NOWHERE, fr);
  };
}

export const focusFunction = (p: Profile, frame: number): Profile => rewriteTree(p, focusFunctionRule(p, frame));

function mergeRule(p: Profile, frame: number): PlaceNode {
  const fn = functionOf(p);
  const f = fn[frame];
  const { tree } = p;
  return (i, up, out) => (fn[tree.frame[i]] === f ? up : out.step(up, tree.frame[i]));
}

export const mergeFunction = (p: Profile, frame: number): Profile => rewriteTree(p, mergeRule(p, frame));

/** The frames of the function `frame` stands for, marked. */
function framesOfFunction(p: Profile, frame: number): Uint8Array {
  const fn = functionOf(p);
  const marks = new Uint8Array(fn.length);
  for (let f = 0; f < fn.length; f++) if (fn[f] === fn[frame]) marks[f] = 1;
  return marks;
}

function dropRule(p: Profile, frame: number): PlaceNode {
  const fn = functionOf(p);
  const f = fn[frame];
  const { tree } = p;
  return (i, up, out) => (fn[tree.frame[i]] === f ? DROPPED : out.step(up, tree.frame[i]));
}

export const dropFunction = (p: Profile, frame: number): Profile => rewriteTree(p, dropRule(p, frame));

function directRecursionRule(p: Profile, frame: number): PlaceNode {
  const fn = functionOf(p);
  const f = fn[frame];
  const { tree } = p;
  return (i, up, out) => {
    const fr = tree.frame[i];
    return fn[fr] === f && up >= 0 && fn[out.frameOf(up)] === f ? up : out.step(up, fr);
  };
}

export const collapseDirectRecursion = (p: Profile, frame: number): Profile =>
  rewriteTree(p, directRecursionRule(p, frame));

export function collapseRecursion(p: Profile, frame: number): Profile {
  const fn = functionOf(p);
  const f = fn[frame];
  const { tree } = p;
  // The place of the outermost call of the function on the path to each node, NOWHERE when none.
  const outer = new Int32Array(tree.count);
  return rewriteTree(p, (i, up, out) => {
    const parent = tree.parent[i];
    const above = parent < 0 ? NOWHERE : outer[parent];
    const fr = tree.frame[i];
    if (fn[fr] === f && above !== NOWHERE) {
      outer[i] = above;
      return above;
    }
    const to = out.step(up, fr);
    outer[i] = above !== NOWHERE ? above : fn[fr] === f ? to : NOWHERE;
    return to;
  });
}

/** Each run of frames `inside` marks as the one frame `into`. */
function collapseRunsRule(p: Profile, inside: Uint8Array, into: number): PlaceNode {
  const { tree } = p;
  return (i, up, out) => {
    const fr = tree.frame[i];
    if (!inside[fr]) return out.step(up, fr);
    return up >= 0 && out.frameOf(up) === into ? up : out.step(up, into);
  };
}

/** Marks the frames whose file passes `test`, thread and process frames never. */
function framesWhere(p: Profile, test: (file: string) => boolean): Uint8Array {
  const marks = new Uint8Array(p.frames.count + 1);
  const byFile = new Map<number, boolean>();
  for (let f = 0; f < p.frames.count; f++) {
    const file = p.frames.file[f];
    let yes = byFile.get(file);
    if (yes === undefined) byFile.set(file, (yes = test(fileOf(p, f))));
    if (yes && !isRoot(p, f)) marks[f] = 1;
  }
  return marks;
}

function collapseResourceRule(p: Profile, path: string): Placed {
  const under = (file: string) => file === path || file.startsWith(`${path}/`) || file.startsWith(`${path}\\`);
  const inside = framesWhere(p, under);
  const { profile, first } = withAddedFrames(p, [{ label: path, file: path }]);
  return { profile, place: collapseRunsRule(profile, inside, first) };
}

export function collapseResource(p: Profile, path: string): Profile {
  const { profile, place } = collapseResourceRule(p, path);
  return rewriteTree(profile, place);
}

function collapseLibraryRule(p: Profile, library: LibraryKind): Placed {
  const inside = framesWhere(p, (file) => libraryKindOf(file) === library);
  const title = `[${libraryKindTitle[library]}]`;
  const { profile, first } = withAddedFrames(p, [{ label: title, file: title }]);
  return { profile, place: collapseRunsRule(profile, inside, first) };
}

export function collapseLibrary(p: Profile, library: LibraryKind): Profile {
  const { profile, place } = collapseLibraryRule(p, library);
  return rewriteTree(profile, place);
}

const libraryMarks = new WeakMap<FrameTable, Uint8Array>();

/**
 * The frames of library code, marked; remembered per frame table: the page asks it while idle after
 * a profile opens, so that the frame of hiding library code does not read every frame's file.
 */
export function libraryFrames(p: Profile): Uint8Array {
  let marks = libraryMarks.get(p.frames);
  if (!marks) libraryMarks.set(p.frames, (marks = framesWhere(p, (file) => libraryKindOf(file) !== null)));
  return marks;
}

function hideLibraryRule(p: Profile): PlaceNode {
  const library = libraryFrames(p);
  const { tree } = p;
  return (i, up, out) => {
    const fr = tree.frame[i];
    return library[fr] && up >= 0 && library[out.frameOf(up)] ? up : out.step(up, fr);
  };
}

export const hideLibrary = (p: Profile): Profile => rewriteTree(p, hideLibraryRule(p));

/** The profile with no samples left: what focusing on a function it does not have leaves. */
export function withoutSamples(p: Profile): Profile {
  return rewriteTree(p, () => DROPPED);
}

/** A transform that names a frame the profile does not have is skipped: a link may outlive its file. */
export function applyTransform(p: Profile, t: Transform): Profile {
  const has = (f: number) => f >= 0 && f < p.frames.count;
  switch (t.kind) {
    case 'focus-subtree':
      return focusSubtree(p, t.path);
    case 'focus-function':
      return has(t.frame) ? focusFunction(p, t.frame) : p;
    case 'merge-function':
      return has(t.frame) ? mergeFunction(p, t.frame) : p;
    case 'drop-function':
      return has(t.frame) ? dropFunction(p, t.frame) : p;
    case 'collapse-direct-recursion':
      return has(t.frame) ? collapseDirectRecursion(p, t.frame) : p;
    case 'collapse-recursion':
      return has(t.frame) ? collapseRecursion(p, t.frame) : p;
    case 'collapse-resource':
      return collapseResource(p, t.path);
    case 'collapse-library':
      return collapseLibrary(p, t.library);
    case 'hide-library':
      return hideLibrary(p);
  }
}

/** A transform as the rule that places each node of `profile`: the one it rewrites, with the frames it adds. */
interface Placed {
  profile: Profile;
  place: PlaceNode;
}

export interface Rewrite extends Placed {
  /**
   * Frames whose nodes the rule leaves out with their subtrees wherever they are, below nodes it
   * keeps too; null when it leaves out none below a node it keeps.
   */
  dropped: Uint8Array | null;
  /**
   * Frames whose outermost nodes are the only nodes the rule puts at the root level, where it
   * places every node outside them nowhere; null when it may place others there.
   */
  rootFrames?: Uint8Array;
  /**
   * Frames of a function whose recursion is collapsed: each node of them below another goes to the
   * place of the outermost, its children below that place. The rule then places each node at a
   * child of its parent's place, and the nodes of these frames below another are read from there.
   */
  recursion?: Uint8Array;
}

/**
 * The rule of a transform that puts every node at its parent's place (the root level's included),
 * at a child of it, or leaves it out with its subtree, and leaves out a subtree either by its
 * frame wherever it is or above every node it keeps (so a node's weight is found from the nodes
 * placed there), or collapses a function's recursion (`recursion`): null for a frame the profile
 * does not have.
 */
export function localRewrite(p: Profile, t: Transform): Rewrite | null {
  const has = (f: number) => f >= 0 && f < p.frames.count;
  const rule = (place: PlaceNode, dropped: Uint8Array | null = null) => ({ profile: p, place, dropped });
  switch (t.kind) {
    case 'focus-subtree': {
      const place = focusSubtreeRule(p, t.path);
      return place && rule(place);
    }
    case 'focus-function':
      return has(t.frame) ? { ...rule(focusFunctionRule(p, t.frame)), rootFrames: framesOfFunction(p, t.frame) } : null;
    case 'merge-function':
      return has(t.frame) ? rule(mergeRule(p, t.frame)) : null;
    case 'drop-function':
      return has(t.frame) ? rule(dropRule(p, t.frame), framesOfFunction(p, t.frame)) : null;
    case 'collapse-direct-recursion':
      return has(t.frame) ? rule(directRecursionRule(p, t.frame)) : null;
    case 'collapse-recursion':
      return has(t.frame)
        ? { ...rule((i, up, out) => out.step(up, p.tree.frame[i])), recursion: framesOfFunction(p, t.frame) }
        : null;
    case 'collapse-resource':
      return { ...collapseResourceRule(p, t.path), dropped: null };
    case 'collapse-library':
      return { ...collapseLibraryRule(p, t.library), dropped: null };
    case 'hide-library':
      return rule(hideLibraryRule(p));
  }
}

/** The profile with the transforms applied in order; a pstats profile whose calls are pending waits for them. */
export function applyTransforms(p: Profile, list: readonly Transform[]): Profile {
  if (p.callsPending) return p;
  return list.reduce(applyTransform, p);
}
