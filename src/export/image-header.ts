/** What an exported graph says above itself, beside its title: colour keys, then lines such as totals. */
export interface ImageLegend {
  keys: { color: string; text: string }[];
  lines: string[];
}

export type HeaderPart =
  | { kind: 'text'; x: number; y: number; size: number; text: string }
  | { kind: 'swatch'; x: number; y: number; size: number; color: string };

/** Monospace characters are this many font sizes wide. */
const CHAR_WIDTH = 0.6;
const MARGIN = 8;
const TITLE_SIZE = 14;
const TEXT_SIZE = 12;
const LINE = 17;

/**
 * Where an exported image's title and legend go, for the SVG and the PNG alike: the title, the
 * colour keys wrapped to the width, one line per legend line. Text positions are baselines.
 */
export function imageHeader(
  title: string,
  legend: ImageLegend,
  width: number,
): { parts: HeaderPart[]; height: number } {
  const parts: HeaderPart[] = [{ kind: 'text', x: MARGIN, y: 18, size: TITLE_SIZE, text: title }];
  let y = 18;
  let x = width;
  const swatch = TEXT_SIZE - 2;
  for (const key of legend.keys) {
    const room = swatch + 5 + key.text.length * TEXT_SIZE * CHAR_WIDTH;
    if (x + room > width - MARGIN) {
      x = MARGIN;
      y += LINE;
    }
    parts.push({ kind: 'swatch', x, y: y - swatch + 1, size: swatch, color: key.color });
    parts.push({ kind: 'text', x: x + swatch + 5, y, size: TEXT_SIZE, text: key.text });
    x += room + 16;
  }
  for (const line of legend.lines) {
    y += LINE;
    parts.push({ kind: 'text', x: MARGIN, y, size: TEXT_SIZE, text: line });
  }
  return { parts, height: y + 10 };
}
