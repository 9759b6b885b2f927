/**
 * Frames grouped into rows by a key (a function: its file and name), rows in the order their first
 * frame comes. Frames `include` leaves out have row -1.
 */
export function rowsByKey(
  frameCount: number,
  keyOf: (frame: number) => string | number,
  include: (frame: number) => boolean = () => true,
): { rowOfFrame: Int32Array; firstFrame: number[] } {
  const rowOfFrame = new Int32Array(frameCount).fill(-1);
  const rows = new Map<string | number, number>();
  const firstFrame: number[] = [];
  for (let f = 0; f < frameCount; f++) {
    if (!include(f)) continue;
    const key = keyOf(f);
    let row = rows.get(key);
    if (row === undefined) {
      row = firstFrame.length;
      firstFrame.push(f);
      rows.set(key, row);
    }
    rowOfFrame[f] = row;
  }
  return { rowOfFrame, firstFrame };
}
