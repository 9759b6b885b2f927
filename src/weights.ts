import type { WeightUnit } from '~/core/model/profile';

/** `toLocaleString('en')` made once: that call sets up a formatter each time, tens of µs a cell. */
const grouped = new Intl.NumberFormat('en');

/** A weight as text in its unit; `withUnit` adds the unit's name. */
export function formatWeight(unit: WeightUnit, w: number, withUnit = true): string {
  switch (unit) {
    case 'seconds':
      return withUnit ? `${w.toFixed(3)} s` : w.toFixed(3);
    case 'microseconds':
      return withUnit ? `${(w / 1000).toFixed(1)} ms` : (w / 1000).toFixed(1);
    case 'kilobytes':
      return withUnit ? `${grouped.format(w)} KiB` : grouped.format(w);
    case 'samples':
      return withUnit ? `${grouped.format(w)} sample${w === 1 ? '' : 's'}` : grouped.format(w);
    case 'events':
      return withUnit ? `${grouped.format(w)} event${w === 1 ? '' : 's'}` : grouped.format(w);
  }
}

/** Seconds in the unit that keeps three significant digits: "1.23 s", "45.6 ms", "789 µs". */
export function formatDuration(seconds: number): string {
  const a = Math.abs(seconds);
  const [value, unit] =
    a === 0
      ? [0, 's']
      : a >= 1
        ? [seconds, 's']
        : a >= 1e-3
          ? [seconds * 1e3, 'ms']
          : a >= 1e-6
            ? [seconds * 1e6, 'µs']
            : [seconds * 1e9, 'ns'];
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value === 0 ? '0' : value.toFixed(digits)} ${unit}`;
}

/** A weight with its unit, as compact as its size allows (tooltips, totals, comparisons). */
export function formatAmount(unit: WeightUnit, w: number): string {
  switch (unit) {
    case 'seconds':
      return formatDuration(w);
    case 'microseconds':
      return formatDuration(w / 1e6);
    default:
      return formatWeight(unit, w);
  }
}

/** "+", "−" or nothing, for a change shown as `text`, so that a change that rounds to zero has no sign. */
export const signOf = (change: number, text: string): string =>
  /^[0.]*$/.test(text.replace(/[^\d.]/g, '')) ? '' : change > 0 ? '+' : change < 0 ? '−' : '';
