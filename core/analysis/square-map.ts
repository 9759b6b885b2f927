/**
 * The square map (RunSnakeRun's view): a tree as nested rectangles, each as large as its weight.
 * A node's own weight is a strip across the top of its rectangle, its children are squarified
 * (Bruls, Huizing, van Wijk) in the rest, heaviest first. One scale holds for the whole map, so
 * every rectangle's area is its weight times `scale`.
 */

/** The parts of a preorder tree the map reads (a `CallTree` has them). */
export interface WeightedTree {
  count: number;
  /** Nodes in each subtree, the node included: its children follow it, each after the subtree of the one before. */
  size: Int32Array;
  total: Float64Array;
  self: Float64Array;
}

/** The rectangle standing for the children of a node too small to draw one by one. */
export const REST = -1;

export interface SquareMap {
  /** Rectangles in preorder: a rectangle's descendants follow it, `size[i]` of them with itself. */
  count: number;
  /** The tree node each rectangle shows, or `REST`. */
  node: Int32Array;
  /** The rectangle this one lies in, -1 for the outermost ones. */
  parent: Int32Array;
  size: Int32Array;
  depth: Int32Array;
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  h: Float64Array;
  /** The height of the strip at the top of a node's rectangle that holds its self weight. */
  selfHeight: Float64Array;
  /** The weight of each `REST` rectangle (0 for others). */
  restWeight: Float64Array;
  /** Area per unit of weight. */
  scale: number;
  /** The weight the map shows: the node zoomed to, or all roots. */
  total: number;
  /** Weight not laid out: in rectangles under `minSide`, or inside rectangles under `minOpen`. */
  hidden: number;
}

/** Columns that grow as rectangles are added. */
class Columns {
  count = 0;
  node = new Int32Array(256);
  parent = new Int32Array(256);
  depth = new Int32Array(256);
  x = new Float64Array(256);
  y = new Float64Array(256);
  w = new Float64Array(256);
  h = new Float64Array(256);
  selfHeight = new Float64Array(256);
  restWeight = new Float64Array(256);

  add(node: number, parent: number, depth: number, x: number, y: number, w: number, h: number): number {
    if (this.count === this.node.length) this.grow();
    const i = this.count++;
    this.node[i] = node;
    this.parent[i] = parent;
    this.depth[i] = depth;
    this.x[i] = x;
    this.y[i] = y;
    this.w[i] = w;
    this.h[i] = h;
    this.selfHeight[i] = 0;
    this.restWeight[i] = 0;
    return i;
  }

  private grow(): void {
    const n = this.node.length * 2;
    const widen = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.node = widen(this.node);
    this.parent = widen(this.parent);
    this.depth = widen(this.depth);
    this.x = widen(this.x);
    this.y = widen(this.y);
    this.w = widen(this.w);
    this.h = widen(this.h);
    this.selfHeight = widen(this.selfHeight);
    this.restWeight = widen(this.restWeight);
  }
}

/** Nodes whose rectangles are yet to be laid out inside them: node, parent rectangle, depth, x, y, w, h. */
type Pending = number[];

/**
 * Squarifies `items` (heaviest first) in the rectangle, calling `place` for each; stops at the
 * first item whose area is under `minArea` (all after it are smaller) and returns the index of
 * that item and the rectangle left, which their areas fill.
 */
function squarify(
  items: number[],
  area: (item: number) => number,
  rect: [number, number, number, number],
  minArea: number,
  place: (item: number, x: number, y: number, w: number, h: number) => void,
): number {
  let [x, y, w, h] = rect;
  let i = 0;
  while (i < items.length) {
    if (area(items[i]) < minArea || w <= 0 || h <= 0) break;
    const side = Math.min(w, h);
    const first = area(items[i]);
    let sum = first,
      j = i + 1;
    // The row's worst aspect ratio: its first item is its largest, the one added its smallest.
    let worst = Math.max((side * side * first) / (sum * sum), (sum * sum) / (side * side * first));
    for (; j < items.length; j++) {
      const a = area(items[j]);
      if (a < minArea) break;
      const s = sum + a;
      const ratio = Math.max((side * side * first) / (s * s), (s * s) / (side * side * a));
      if (ratio > worst) break;
      worst = ratio;
      sum = s;
    }
    // The row spans the short side; its thickness is what it takes of the long one.
    const thickness = Math.min(sum / side, Math.max(w, h));
    let along = 0;
    for (let k = i; k < j; k++) {
      const length = (area(items[k]) / sum) * side;
      if (w >= h) place(items[k], x, y + along, thickness, length);
      else place(items[k], x + along, y, length, thickness);
      along += length;
    }
    if (w >= h) {
      x += thickness;
      w -= thickness;
    } else {
      y += thickness;
      h -= thickness;
    }
    i = j;
  }
  rect[0] = x;
  rect[1] = y;
  rect[2] = Math.max(0, w);
  rect[3] = Math.max(0, h);
  return i;
}

/** The children of `node` (or the roots for -1), heaviest first, ties in tree order. */
function childrenOf(tree: WeightedTree, node: number): number[] {
  const out: number[] = [];
  const end = node < 0 ? tree.count : node + tree.size[node];
  for (let c = node + 1; c < end; c += tree.size[c]) if (tree.total[c] > 0) out.push(c);
  return out.sort((a, b) => tree.total[b] - tree.total[a] || a - b);
}

/**
 * Lays out the map of `tree` zoomed to `root` (-1: all roots side by side) in a `width` × `height`
 * rectangle. Rectangles with a side under `minSide` are not laid out, nor anything inside them;
 * children under `minSide`² in area are left as one `REST` rectangle (when it is that large); and
 * a rectangle whose part below its strip has a side under `minOpen` is drawn without what it
 * holds. So the work is in proportion to what can be seen, however large the tree. Loops, not
 * recursion: stacks of any depth.
 */
export function layoutSquareMap(
  tree: WeightedTree,
  root: number,
  width: number,
  height: number,
  minSide = 1,
  minOpen = minSide,
): SquareMap {
  const out = new Columns();
  let total = 0;
  if (root >= 0) total = tree.total[root];
  else for (let r = 0; r < tree.count; r += tree.size[r]) total += tree.total[r];
  const scale = total > 0 && width > 0 && height > 0 ? (width * height) / total : 0;
  let hidden = 0;
  const pending: Pending = [];
  const minArea = minSide * minSide;
  const area = (node: number) => tree.total[node] * scale;
  const big = (w: number, h: number) => w >= minSide && h >= minSide;

  /** Lays the children of `node` in the rectangle: big ones wait in `pending`, the small ones' area becomes one REST rectangle. */
  const layChildren = (node: number, parent: number, depth: number, rect: [number, number, number, number]) => {
    const children = childrenOf(tree, node);
    const placedFrom = pending.length;
    const stop = squarify(children, area, rect, minArea, (c, x, y, w, h) => {
      if (big(w, h)) pending.push(c, parent, depth, x, y, w, h);
      else hidden += tree.total[c];
    });
    if (stop < children.length) {
      let rest = 0;
      for (let k = stop; k < children.length; k++) rest += tree.total[children[k]];
      hidden += rest;
      const [x, y, w, h] = rect;
      if (w * h >= minArea) out.restWeight[out.add(REST, parent, depth, x, y, w, h)] = rest;
    }
    // Popped in reverse: the heaviest child is laid out (and listed) first.
    for (let a = placedFrom, b = pending.length - 7; a < b; a += 7, b -= 7) {
      for (let k = 0; k < 7; k++) {
        const t = pending[a + k];
        pending[a + k] = pending[b + k];
        pending[b + k] = t;
      }
    }
  };

  if (scale > 0) {
    if (root >= 0) pending.push(root, -1, 0, 0, 0, width, height);
    else layChildren(-1, -1, 0, [0, 0, width, height]);
  }
  while (pending.length) {
    const h = pending.pop()!,
      w = pending.pop()!,
      y = pending.pop()!,
      x = pending.pop()!,
      depth = pending.pop()!,
      parent = pending.pop()!,
      node = pending.pop()!;
    const i = out.add(node, parent, depth, x, y, w, h);
    const strip = Math.min(h, (tree.self[node] * scale) / w);
    out.selfHeight[i] = strip;
    if (tree.size[node] === 1) continue;
    if (w >= minOpen && h - strip >= minOpen) layChildren(node, i, depth + 1, [x, y + strip, w, h - strip]);
    else hidden += tree.total[node] - tree.self[node];
  }

  const count = out.count;
  const size = new Int32Array(count).fill(1);
  for (let i = count - 1; i > 0; i--) if (out.parent[i] >= 0) size[out.parent[i]] += size[i];
  return {
    count,
    node: out.node.slice(0, count),
    parent: out.parent.slice(0, count),
    size,
    depth: out.depth.slice(0, count),
    x: out.x.slice(0, count),
    y: out.y.slice(0, count),
    w: out.w.slice(0, count),
    h: out.h.slice(0, count),
    selfHeight: out.selfHeight.slice(0, count),
    restWeight: out.restWeight.slice(0, count),
    scale,
    total,
    hidden,
  };
}

/** The innermost rectangle at a point (REST rectangles count as their parent), or -1. */
export function rectAt(map: SquareMap, px: number, py: number): number {
  let found = -1;
  let i = 0,
    end = map.count;
  while (i < end) {
    const inside = px >= map.x[i] && px < map.x[i] + map.w[i] && py >= map.y[i] && py < map.y[i] + map.h[i];
    if (inside) {
      if (map.node[i] !== REST) found = i;
      end = i + map.size[i];
      i++;
    } else {
      i += map.size[i];
    }
  }
  return found;
}
