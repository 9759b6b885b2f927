import type { WeightUnit } from '../workers/model';

/** A weight as text in its unit; `withUnit` adds the unit's name. */
export function formatWeight(unit: WeightUnit, w: number, withUnit = true): string {
  switch (unit) {
    case 'seconds':
      return withUnit ? `${w.toFixed(3)} s` : w.toFixed(3);
    case 'microseconds':
      return withUnit ? `${(w / 1000).toFixed(1)} ms` : (w / 1000).toFixed(1);
    case 'kilobytes':
      return withUnit ? `${w.toLocaleString('en')} KiB` : w.toLocaleString('en');
    case 'samples':
      return withUnit ? `${w.toLocaleString('en')} sample${w === 1 ? '' : 's'}` : w.toLocaleString('en');
  }
}
