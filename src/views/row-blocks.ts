/** One block of drawn rows, moved as a unit: its rows are drawn at their places less `base`. */
export interface RowBlock {
  id: number;
  /** The place the block's origin stands for: the block is moved by this many rows. */
  base: number;
  /** The places of its rows, in order. */
  places: number[];
}

/**
 * The drawn rows of a list in blocks of consecutive rows, each block moved as one. A row opened or
 * closed moves every row below it: moving the blocks below instead leaves those rows where they
 * are within their blocks, neither laid out nor painted again. A row stays in its block while it
 * is drawn, so that it is not made again; only a block cut by rows put into it is split, its rows
 * below the cut made again in a block of their own, which keeps the blocks, and so the rows in the
 * page, in the order of their places.
 */
export class RowBlocks {
  /** Each drawn row's block and place, and each block's base, at the last call. */
  private blockOf = new Map<number, number>();
  private placeOf = new Map<number, number>();
  private baseOf = new Map<number, number>();
  private nextId = 0;

  /** `size`: how many rows a block takes before a new one is begun. */
  constructor(private readonly size: number) {}

  /** The blocks of the rows at `places` (ascending) of `rows`, in order. */
  arrange(rows: readonly number[], places: readonly number[]): RowBlock[] {
    const blocks: RowBlock[] = [];
    const seen = new Set<number>();
    const blockOf = new Map<number, number>();
    const placeOf = new Map<number, number>();
    const baseOf = new Map<number, number>();
    let current: RowBlock | null = null;
    let lastAt = -2;
    for (const at of places) {
      const row = rows[at];
      const was = this.blockOf.get(row);
      let block: RowBlock;
      if (was !== undefined && was === current?.id) block = current;
      else if (was !== undefined && !seen.has(was)) {
        // The block's first row still drawn moves it: its rows moved with it stay where they are in it.
        const base = this.baseOf.get(was)! + at - this.placeOf.get(row)!;
        block = { id: was, base, places: [] };
      } else if (current && lastAt === at - 1 && current.places.length < this.size) block = current;
      else block = { id: this.nextId++, base: at, places: [] };
      if (block !== current) {
        seen.add(block.id);
        blocks.push(block);
        baseOf.set(block.id, block.base);
        current = block;
      }
      block.places.push(at);
      blockOf.set(row, block.id);
      placeOf.set(row, at);
      lastAt = at;
    }
    this.blockOf = blockOf;
    this.placeOf = placeOf;
    this.baseOf = baseOf;
    return blocks;
  }
}
