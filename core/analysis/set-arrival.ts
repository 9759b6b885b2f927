import { statsAddOrder } from './merge';
import type { ArrivingFiles, SetInput } from './profile-set';

/**
 * The files of a set as the page hands them to the worker, in batches in the order the merge adds
 * them (`statsAddOrder`), so that reading starts once the first batch has come rather than after
 * all of them: handing a File over costs the page about half a millisecond.
 */
export class SetArrival implements ArrivingFiles {
  private readonly files: (SetInput | undefined)[];
  private readonly order: number[];
  private arrived = 0;
  private readonly waiting = new Map<number, (file: SetInput) => void>();

  constructor(readonly count: number) {
    this.files = new Array<SetInput | undefined>(count);
    this.order = statsAddOrder(count);
  }

  /** The next files in add order. */
  add(batch: SetInput[]): void {
    if (this.arrived + batch.length > this.count)
      throw new RangeError(`${this.arrived + batch.length} files handed over for a set of ${this.count}`);
    for (const file of batch) {
      const index = this.order[this.arrived++];
      this.files[index] = file;
      this.waiting.get(index)?.(file);
      this.waiting.delete(index);
    }
  }

  at(index: number): SetInput | Promise<SetInput> {
    return this.files[index] ?? new Promise((resolve) => this.waiting.set(index, resolve));
  }

  /** Every file, by index; only once all have come. */
  all(): SetInput[] {
    if (this.arrived < this.count) throw new RangeError(`${this.arrived} of ${this.count} files handed over`);
    return this.files as SetInput[];
  }
}

/** `files` in the batches the page hands them over in: in add order, `size` at a time. */
export function inBatches(files: SetInput[], size: number): SetInput[][] {
  const inOrder = statsAddOrder(files.length).map((i) => files[i]);
  const batches: SetInput[][] = [];
  for (let k = 0; k < inOrder.length; k += size) batches.push(inOrder.slice(k, k + size));
  return batches;
}
