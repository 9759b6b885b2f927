import { expect, it } from 'vitest';
import { orderByTime } from './time-order';

/** Samples of `threads` threads taking turns at random, each thread's times rising from its own start. */
function recording(n: number, threads: number, seed: number): { time: Float64Array; thread: Int32Array } {
  let a = seed;
  const rand = () => (a = (a * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const time = new Float64Array(n),
    thread = new Int32Array(n);
  const now = Array.from({ length: threads }, () => Math.floor(rand() * 50));
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rand() * threads);
    now[t] += Math.floor(rand() * 3);
    time[i] = now[t];
    thread[i] = t;
  }
  return { time, thread };
}

it('orders samples as a stable sort by time does, merging the threads', () => {
  for (const [n, threads, seed] of [
    [1, 1, 1],
    [500, 1, 2],
    [2_000, 3, 3],
    [5_000, 7, 4],
    [5_000, 40, 5],
  ]) {
    const { time, thread } = recording(n, threads, seed);
    const sorted = Array.from(time.keys()).sort((a, b) => time[a] - time[b] || a - b);
    expect(Array.from(orderByTime(time, thread, threads, n))).toEqual(sorted);
  }
});

it('keeps the file order of samples already in time order', () => {
  const time = Float64Array.of(1, 1, 2, 5, 5, 9);
  expect(Array.from(orderByTime(time, Int32Array.of(0, 1, 0, 1, 1, 0), 2, 6))).toEqual([0, 1, 2, 3, 4, 5]);
});
