const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** A byte count the way file managers show it: 1000-based, three significant digits. */
export function formatBytes(n: number): string {
  let unit = 0;
  while (n >= 1000 && unit < units.length - 1) {
    n /= 1000;
    unit++;
  }
  return unit === 0 ? `${n} ${n === 1 ? 'byte' : 'bytes'}` : `${n.toPrecision(3)} ${units[unit]}`;
}
