import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toPstatsJson } from '../export/pstats-json';
import { fixtureFiles } from '~/test/fixtures';
import { openForMerge, readSet, type SetInput } from './profile-set';
import { SetArrival, inBatches } from './set-arrival';

const PATHS = fixtureFiles('pstats/out', '.prof').filter((f) => /\/(seeds|recursion|objects)-py3\d+-cprofile/.test(f));
const inputs = (): SetInput[] => [
  ...PATHS.map((p) => ({ blob: new Blob([readFileSync(p)]), name: basename(p) })),
  { blob: new Blob(['just some notes']), name: 'notes.txt' },
];

describe('a set handed over in batches', () => {
  it('is read as the whole set is, row for row and bit for bit, reading from the first batch on', async () => {
    const files = inputs();
    expect(files.length).toBeGreaterThanOrEqual(20);
    const whole = await readSet(files, openForMerge, 'merged');

    const batches = inBatches(files, 7);
    expect(batches.flat().map((f) => f.name)).toEqual([files[0], ...files.slice(1).reverse()].map((f) => f.name));
    const arrival = new SetArrival(files.length);
    arrival.add(batches[0]);
    const opened: number[] = [];
    const reading = readSet(
      arrival,
      (blob, name) => {
        opened.push(files.findIndex((f) => f.name === name));
        return openForMerge(blob, name);
      },
      'merged',
      () => {},
      3,
    );
    let openedBeforeLast = 0;
    for (const batch of batches.slice(1)) {
      await new Promise((r) => setTimeout(r, 5));
      openedBeforeLast = opened.length;
      arrival.add(batch);
    }
    expect(openedBeforeLast).toBeGreaterThan(0);
    expect(openedBeforeLast).toBeLessThan(files.length);
    const read = await reading;

    expect(read.rows).toEqual(whole.rows);
    expect(read.mergeError).toBe(whole.mergeError);
    expect(toPstatsJson(read.merged!)).toEqual(toPstatsJson(whole.merged!));
    expect(arrival.all().map((f) => f.name)).toEqual(files.map((f) => f.name));
  });

  it('refuses more files than the set holds, and its files before all have come', () => {
    const arrival = new SetArrival(2);
    arrival.add([{ blob: new Blob(['a']), name: 'a' }]);
    expect(() => arrival.all()).toThrow('1 of 2 files handed over');
    expect(() => arrival.add([1, 2].map((n) => ({ blob: new Blob(['b']), name: `b${n}` })))).toThrow(
      '3 files handed over for a set of 2',
    );
  });
});
