/**
 * The order of a recording's samples by time, when each thread's samples are already in time
 * order (Tachyon's timestamps are deltas per thread, never negative): a merge of the threads'
 * runs, O(n log threads), where a sort of millions of samples with a comparator takes seconds.
 * Ties keep the order of the file, as a stable sort by time would.
 */
export function orderByTime(time: Float64Array, thread: Int32Array, threads: number, n: number): Int32Array {
  const order = new Int32Array(n);
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = time[i] >= time[i - 1];
  if (sorted) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }
  // Each thread's samples, in file order, one after another.
  const start = new Int32Array(threads + 1);
  for (let i = 0; i < n; i++) start[thread[i] + 1]++;
  for (let t = 0; t < threads; t++) start[t + 1] += start[t];
  const byThread = new Int32Array(n);
  const next = start.slice(0, threads);
  for (let i = 0; i < n; i++) byThread[next[thread[i]]++] = i;
  // A binary heap of the threads' next samples, earliest (then first in the file) on top.
  const head = start.slice(0, threads);
  const heap = new Int32Array(threads);
  let size = 0;
  const before = (a: number, b: number) => {
    const x = byThread[head[a]],
      y = byThread[head[b]];
    return time[x] < time[y] || (time[x] === time[y] && x < y);
  };
  const down = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      if (l >= size) return;
      const c = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[c], heap[at])) return;
      [heap[c], heap[at]] = [heap[at], heap[c]];
      at = c;
    }
  };
  for (let t = 0; t < threads; t++) if (start[t] < start[t + 1]) heap[size++] = t;
  for (let at = (size >> 1) - 1; at >= 0; at--) down(at);
  for (let k = 0; k < n; k++) {
    const t = heap[0];
    order[k] = byThread[head[t]++];
    if (head[t] === start[t + 1]) heap[0] = heap[--size];
    down(0);
  }
  return order;
}
