import { BASE_ONLY, NEW_ONLY, delta, deltaPercent, type Comparison } from '~/core/analysis/compare';
import type { Profile, WeightUnit } from '~/core/model/profile';
import { formatAmount, formatWeight, signOf } from '../weights';
import { visibleText } from '../flame/names';
import type { TableColumn } from './table-types';
import { stringAt } from '~/core/model/string-pack';

type Side = Comparison['base'];

interface ValueFormat {
  value(side: Side, v: number): number;
  text(v: number): string;
}

const signed = (text: (v: number) => string) => (v: number) => {
  const t = text(Math.abs(v));
  return `${signOf(v, t)}${t}`;
};

/** Costs in the profiles' unit, or as shares of each total when the units differ or `asShares`; counts as counts. */
function valueFormat(c: Comparison, unit: WeightUnit, kind: 'cost' | 'count', asShares: boolean): ValueFormat {
  if (kind === 'count') return { value: (_side, v) => v, text: (v) => v.toLocaleString('en') };
  if (c.sameUnit && !asShares) return { value: (_side, v) => v, text: (v) => formatAmount(unit, v) };
  return {
    value: (side, v) => (side.grandTotal ? (100 * v) / side.grandTotal : NaN),
    text: (v) => `${v.toFixed(2)} %`,
  };
}

const percentText = (p: number) => (Number.isNaN(p) ? '' : signed((x) => `${x.toFixed(1)}%`)(p));

/**
 * The function, then baseline, new, delta and delta % for each cost; rows are comparison rows.
 * `asShares`: costs as shares of each profile's total even in one unit (runs of different length).
 */
/** A character's width in the table's monospaced cells, in rem, rounded up. */
const STATUS_CHAR_REM = 0.55;

export function compareColumns(c: Comparison, baseline: Profile, next: Profile, asShares = false): TableColumn[] {
  const presenceText = (r: number) => (c.presence[r] === NEW_ONLY ? 'new' : c.presence[r] === BASE_ONLY ? 'gone' : '');
  const metric = (
    id: string,
    title: string,
    help: string,
    pick: (side: Side) => Float64Array | null,
    kind: 'cost' | 'count' = 'cost',
  ): TableColumn[] => {
    const fmt = valueFormat(c, c.unit, kind, asShares);
    const a = (r: number) => fmt.value(c.base, pick(c.base)?.[r] ?? NaN);
    const b = (r: number) => fmt.value(c.next, pick(c.next)?.[r] ?? NaN);
    const text = (v: number) => (Number.isNaN(v) ? '–' : fmt.text(v));
    return [
      {
        id: `${id}:base`,
        title: `${title} before`,
        numeric: true,
        width: '6.5rem',
        help: `${help}, baseline`,
        cell: (r) => text(a(r)),
        sortValue: (r) => a(r) || 0,
        value: a,
      },
      {
        id: `${id}:new`,
        title: 'after',
        numeric: true,
        width: '5.5rem',
        help: `${help}, new profile`,
        cell: (r) => text(b(r)),
        sortValue: (r) => b(r) || 0,
        value: b,
      },
      {
        id: `${id}:delta`,
        title: 'Δ',
        numeric: true,
        width: '5.5rem',
        help: `${help}: new − baseline`,
        cell: (r) => signed(fmt.text)(delta(a(r), b(r))),
        sortValue: (r) => delta(a(r), b(r)),
      },
      {
        id: `${id}:pct`,
        title: 'Δ%',
        numeric: true,
        width: '4.5rem',
        help: `${help}: change relative to the baseline ("new", "gone": only one profile has the function)`,
        // A function only one side has changed by no percentage worth reading: −100 % or none at all.
        cell: (r) => presenceText(r) || percentText(deltaPercent(a(r), b(r))),
        sortValue: (r) => deltaPercent(a(r), b(r)) || 0,
        value: (r) => deltaPercent(a(r), b(r)),
      },
    ];
  };
  const both = baseline.pstats && next.pstats;
  const columns: TableColumn[] = both
    ? [
        ...metric('tottime', 'tottime', 'Time in the function itself', (s) => s.self),
        ...metric('cumtime', 'cumtime', 'Time in the function and below', (s) => s.total),
        ...metric('ncalls', 'calls', 'Number of calls', (s) => s.calls, 'count'),
      ]
    : [
        ...metric('self', 'self', 'Cost in the function itself', (s) => s.self),
        ...metric('total', 'total', 'Cost in the function and below', (s) => s.total),
      ];
  // A row is a function: pstats names it by its def line, a sampled frame's line is only one of its lines.
  const label = (r: number) => {
    const [p, f] = c.newFrame[r] >= 0 ? [next, c.newFrame[r]] : [baseline, c.baseFrame[r]];
    if (p.pstats) return stringAt(p.strings, p.frames.label[f]);
    const file = stringAt(p.strings, p.frames.file[f]),
      name = stringAt(p.strings, p.frames.name[f]);
    return file ? `${file}:${name}` : name;
  };
  const status = (r: number) =>
    c.presence[r] === NEW_ONLY ? 'new' : c.presence[r] === BASE_ONLY ? 'gone' : c.pairing[r];
  // As wide as its longest word, and a gap where it has none: the function column takes the rest.
  let longest = 0;
  for (let r = 0; r < c.count; r++) longest = Math.max(longest, status(r).length);
  // The function first: a row's numbers are read against its name, which many columns would push out of view.
  return [
    {
      id: 'function',
      title: 'function',
      numeric: false,
      width: 'minmax(15rem, 1fr)',
      help: 'Functions are matched by file and name',
      keepEnd: true,
      cell: (r) => visibleText(label(r)),
      sortValue: label,
      value: label,
    },
    {
      id: 'status',
      title: '',
      numeric: false,
      // In rem, not ch: the head's font is not the cells', and their columns must line up.
      width: longest ? `${(STATUS_CHAR_REM * longest + 1).toFixed(2)}rem` : '0.5rem',
      help: '"new": only in the new profile; "gone": only in the baseline; "line 61 → 68": matched by file and name, its def line moved; "path differs": matched by file name',
      cell: status,
      sortValue: status,
    },
    ...columns,
  ];
}

/** "3.822 s → 0.811 s (−78.8 %)" */
export function totalsText(c: Comparison, baseline: Profile, next: Profile): string {
  const a = c.base.grandTotal,
    b = c.next.grandTotal;
  // A change between seconds and samples would be a number with no meaning.
  const change = c.sameUnit ? percentText(deltaPercent(a, b)).replace('%', ' %') : '';
  // Seconds as pstats prints them unless that would read 0.000.
  const total = (unit: WeightUnit, w: number) =>
    unit === 'seconds' && w >= 0.01 ? formatWeight(unit, w) : formatAmount(unit, w);
  const unitOf = (p: Profile) => (c.sameUnit ? c.unit : p.unit === 'microseconds' ? 'seconds' : p.unit);
  return `${total(unitOf(baseline), a)} → ${total(unitOf(next), b)}${change ? ` (${change})` : ''}`;
}
