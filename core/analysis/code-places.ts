/**
 * Where code lives as a tree: package → module → file → function, each function weighing its self
 * time, each group the sum of what it holds. The square map's second map is drawn from it.
 */
import type { WeightedTree } from './square-map';

export interface PlaceTree extends WeightedTree {
  parent: Int32Array;
  depth: Int32Array;
  /** A function's frame (its first one), -1 for a group. */
  frame: Int32Array;
  /** A group's name as its place gives it (a package, a dotted module, a path); '' for a function. */
  name: string[];
}

/** The part of a path that names a module to `import`: below site-packages or the standard library, or the whole of a relative path. */
function importPath(file: string): string | null {
  const installed = Math.max(file.lastIndexOf('site-packages'), file.lastIndexOf('dist-packages'));
  if (installed >= 0) return file.slice(installed + 'site-packages'.length + 1);
  const stdlib = /[/\\]lib[/\\](python|pypy)[\d.]*[/\\]/i.exec(file);
  if (stdlib) return file.slice(stdlib.index + stdlib[0].length);
  if (file.startsWith('/') || file.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('.'))
    return null;
  return file;
}

/**
 * The groups a function's file puts it in, outermost first: its top-level package, its dotted
 * module and its file (`…/site-packages/requests/adapters.py` → `requests`, `requests.adapters`,
 * the path). Code outside any import path (a script) is grouped by its directory and module name;
 * `<frozen importlib._bootstrap>` by the module it names; built-ins and made-up frames have no
 * file and no groups.
 */
export function placeOfFile(file: string): string[] {
  if (!file || file === '~') return [];
  const frozen = /^<frozen ([\w.]+)>$/.exec(file);
  if (frozen) return [frozen[1].split('.')[0], frozen[1]];
  if (file.startsWith('<')) return [];
  const relative = importPath(file);
  if (relative === null) {
    const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
    const stem = file.slice(cut + 1).replace(/\.[^.]*$/, '');
    return [file.slice(0, Math.max(cut, 1)), stem, file];
  }
  const parts = relative.replace(/\.(py[cwdio]?|so)$/, '').split(/[/\\]/);
  if (parts.length > 1 && parts[parts.length - 1] === '__init__') parts.pop();
  return [parts[0], parts.join('.'), file];
}

interface Group {
  name: string;
  children: Map<string, Group>;
  functions: number[];
  total: number;
}

/**
 * The tree of places for functions: `self[r]` is function r's self weight and `frame[r]` its
 * frame, `placeOf(r)` its groups outermost first. A group named as its parent is (the `json`
 * module of the `json` package) is not made twice. Heaviest first at every level; functions of
 * no weight are left out.
 */
export function placeTree(
  functions: { count: number; frame: Int32Array; self: Float64Array },
  placeOf: (row: number) => string[],
): PlaceTree {
  const top: Group = { name: '', children: new Map(), functions: [], total: 0 };
  for (let r = 0; r < functions.count; r++) {
    const w = functions.self[r];
    if (!(w > 0)) continue;
    let group = top;
    group.total += w;
    for (const name of placeOf(r)) {
      if (name === group.name) continue;
      let next = group.children.get(name);
      if (!next) group.children.set(name, (next = { name, children: new Map(), functions: [], total: 0 }));
      next.total += w;
      group = next;
    }
    group.functions.push(r);
  }

  const parent: number[] = [],
    depth: number[] = [],
    frame: number[] = [],
    name: string[] = [],
    total: number[] = [];
  // Preorder by an explicit stack: entries are a group or a function row, with the parent's index and depth.
  const stack: [Group | number, number, number][] = [];
  const pushChildren = (g: Group, at: number, d: number) => {
    const items: (Group | number)[] = [...g.children.values(), ...g.functions];
    const weight = (item: Group | number) => (typeof item === 'number' ? functions.self[item] : item.total);
    items.sort((a, b) => weight(a) - weight(b));
    for (const item of items) stack.push([item, at, d]);
  };
  pushChildren(top, -1, 0);
  while (stack.length) {
    const [item, up, d] = stack.pop()!;
    const at = parent.length;
    parent.push(up);
    depth.push(d);
    if (typeof item === 'number') {
      frame.push(functions.frame[item]);
      name.push('');
      total.push(functions.self[item]);
    } else {
      frame.push(-1);
      name.push(item.name);
      total.push(item.total);
      pushChildren(item, at, d + 1);
    }
  }

  const count = parent.length;
  const size = new Int32Array(count).fill(1);
  for (let i = count - 1; i >= 0; i--) if (parent[i] >= 0) size[parent[i]] += size[i];
  const self = new Float64Array(count);
  for (let i = 0; i < count; i++) if (frame[i] >= 0) self[i] = total[i];
  return {
    count,
    parent: Int32Array.from(parent),
    depth: Int32Array.from(depth),
    size,
    frame: Int32Array.from(frame),
    name,
    total: Float64Array.from(total),
    self,
  };
}
