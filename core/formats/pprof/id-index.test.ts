import { expect, it } from 'vitest';
import { IdIndex } from './id-index';

it('finds each id where a Map of the ids finds it, dense or spread wide, the last of a repeated id', () => {
  const sets = [
    [],
    [1, 2, 3],
    [3, 1, 2, 2, 7],
    [5, 2 ** 40, 9, 2 ** 40],
    [1, -1, 2, -2, -1],
    Array.from({ length: 3000 }, (_, i) => (i * 7919) % 5000),
  ];
  for (const ids of sets) {
    const index = new IdIndex(ids.length, (i) => ids[i]);
    const map = new Map(ids.map((id, i) => [id, i]));
    for (const id of [...ids, 0, 4, 6, 10_000, 2 ** 41, -3])
      expect(index.get(id), `${id} of ${ids.length}`).toBe(map.get(id) ?? -1);
  }
});
