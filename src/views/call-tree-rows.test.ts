import { describe, expect, it } from 'vitest';
import { openProfile } from '~/core/formats/open-profile';
import { topDown } from '~/core/analysis/tree-nodes';
import { lineOfRow, lineRow, linesRow, nodeOfRow, parentRow, visibleRows } from './call-tree-rows';

describe('call tree rows with lines', () => {
  it('tell a node, its lines and each line apart, and know the row above each', async () => {
    for (const node of [0, 1, 7, 123456])
      for (const line of [0, 1, 99]) {
        expect([nodeOfRow(lineRow(node, line)), lineOfRow(lineRow(node, line))]).toEqual([node, line]);
        expect([nodeOfRow(linesRow(node)), lineOfRow(linesRow(node))]).toEqual([node, -2]);
        expect([nodeOfRow(node), lineOfRow(node)]).toEqual([node, -1]);
        expect(linesRow(node)).toBeLessThan(-1);
      }
  });

  it('list an open node its lines row first, the lines once that opens, then its children', async () => {
    const p = await openProfile(new Blob(['a;b;c 1\na;d 2\n']), 't.folded');
    const nodes = topDown(p.tree);
    const order = { column: 'total', ascending: false } as const;
    const lines = (v: number) => (v === 0 ? 2 : 0);
    const label = () => '';
    expect(visibleRows(nodes, new Set([0]), order, label, undefined, lines)).toEqual([0, linesRow(0), 1, 2]);
    const all = visibleRows(nodes, new Set([0, linesRow(0)]), order, label, undefined, lines);
    expect(all).toEqual([0, linesRow(0), lineRow(0, 0), lineRow(0, 1), 1, 2]);
    expect(all.map((r) => parentRow(nodes, r))).toEqual([-1, 0, linesRow(0), linesRow(0), 0, 0]);
  });
});
