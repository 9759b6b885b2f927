import { CallTreeBuilder } from '../model/builders';
import type { CallTree } from '../model/profile';

/** Outermost nodes of a function: those with no ancestor of the same function, so time counts once. */
function outermost(tree: CallTree, inGroup: (frame: number) => boolean, visit: (node: number) => void): void {
  for (let i = 0; i < tree.count;) {
    if (inGroup(tree.frame[i])) {
      visit(i);
      i += tree.size[i];
    } else {
      i++;
    }
  }
}

/** Everything the function called, merged over all the places it was called from. */
export function calleesTree(tree: CallTree, inGroup: (frame: number) => boolean): CallTree {
  const b = new CallTreeBuilder();
  const path: number[] = [];
  outermost(tree, inGroup, (top) => {
    const base = tree.depth[top];
    for (let k = top; k < top + tree.size[top]; k++) {
      const d = tree.depth[k] - base;
      path[d] = b.step(d === 0 ? -1 : path[d - 1], tree.frame[k]);
      b.addSelf(path[d], tree.self[k]);
    }
  });
  return b.build().tree;
}

/** Who called the function, inverted: the function at the root, its callers above it. */
export function callersTree(tree: CallTree, inGroup: (frame: number) => boolean): CallTree {
  const b = new CallTreeBuilder();
  outermost(tree, inGroup, (top) => {
    let node = -1;
    for (let i = top; i >= 0; i = tree.parent[i]) node = b.step(node, tree.frame[i]);
    b.addSelf(node, tree.total[top]);
  });
  return b.build().tree;
}
