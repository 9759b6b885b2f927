import { frameKindOf, type CallTree, type Profile } from '~/core/model/profile';
import { codeKind, frameColor } from '../flame/colors';
import { displayName } from '../flame/names';
import { stringAt } from '~/core/model/string-pack';
import { imageHeader, type ImageLegend } from './image-header';

/**
 * Characters XML 1.0 does not allow even escaped (most controls, U+FFFE, U+FFFF, a surrogate
 * without its pair): one in a frame name would leave the file unreadable.
 */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- the controls XML forbids are what is matched
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const escapeXml = (s: string): string =>
  s
    .replace(NOT_XML, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

export interface SvgOptions {
  profile: Profile;
  tree: CallTree;
  starts: Float64Array;
  orientation: 'flame' | 'icicle';
  /** The weight range in view. */
  x0: number;
  x1: number;
  title: string;
  /** Colour keys and totals, under the title, so that the image says what it shows on its own. */
  legend?: ImageLegend;
  formatWeight(w: number): string;
  grandTotal: number;
  /** A node's colour when not where its code lives (the differential graph). */
  nodeColor?(node: number): string;
  /** More lines for a node's title. */
  details?(node: number): string[];
  width?: number;
  /** The page's background and text colours, so that the image looks as the page does, light or dark. */
  colors?: SvgColors;
}

export interface SvgColors {
  background: string;
  /** The title and the legend. */
  text: string;
  /** Names on frame fills. */
  label: string;
}

const LIGHT_PAGE: SvgColors = { background: '#fbfaf8', text: '#1f2430', label: '#1f2430' };

const ROW = 17;
const CHAR = 6.6;

/**
 * The graph at its zoom as a standalone SVG, every row of it: one rect and one text per frame
 * wide enough to see, names as text (searchable in a browser), full details in each frame's <title>.
 */
export function flameSvg(o: SvgOptions): string {
  const { profile: p, tree, starts, x0, x1 } = o;
  const width = o.width ?? 1200;
  const scale = width / (x1 - x0 || 1);
  let depthMax = 0;
  const shown: number[] = [];
  for (let i = 0; i < tree.count;) {
    const left = (starts[i] - x0) * scale,
      right = left + tree.total[i] * scale;
    if (right <= 0 || left >= width || right - left < 0.5) {
      i += tree.size[i];
      continue;
    }
    shown.push(i);
    depthMax = Math.max(depthMax, tree.depth[i]);
    i++;
  }
  const colors = o.colors ?? LIGHT_PAGE;
  const header = imageHeader(o.title, o.legend ?? { keys: [], lines: [] }, width);
  const top = header.height;
  // As tall as the rows drawn: nothing below the deepest frame in view.
  const height = top + (shown.length ? depthMax + 1 : 0) * ROW + 10;
  const out = svgOpening(width, height, colors, header);
  out.push(`<g fill="${escapeXml(colors.label)}">`);
  for (const i of shown) {
    const f = tree.frame[i];
    const left = Math.max(0, (starts[i] - x0) * scale);
    const right = Math.min(width, (starts[i] + tree.total[i] - x0) * scale);
    const y = o.orientation === 'icicle' ? top + tree.depth[i] * ROW : top + (depthMax - tree.depth[i]) * ROW;
    const name = displayName(p, f);
    const label = stringAt(p.strings, p.frames.label[f]);
    const pct = o.grandTotal > 0 ? ` (${((100 * tree.total[i]) / o.grandTotal).toFixed(2)} %)` : '';
    const room = Math.floor((right - left - 4) / CHAR);
    const text = room >= 3 ? (name.length > room ? name.slice(0, room - 1) + '…' : name) : '';
    const fill = o.nodeColor
      ? o.nodeColor(i)
      : frameColor(
          codeKind(stringAt(p.strings, p.frames.file[f]), label, frameKindOf(p.frames, f)),
          stringAt(p.strings, p.frames.name[f]),
        );
    const title = [label, `${o.formatWeight(tree.total[i])}${pct}`, ...(o.details?.(i) ?? [])].join('\n');
    out.push(
      `<g><title>${escapeXml(title)}</title>` +
        `<rect x="${left.toFixed(2)}" y="${y}" width="${Math.max(right - left - 0.5, 0.5).toFixed(2)}" height="${ROW - 1}" fill="${fill}"/>` +
        (text ? `<text x="${(left + 3).toFixed(2)}" y="${y + ROW - 5}">${escapeXml(text)}</text>` : '') +
        `</g>`,
    );
  }
  out.push('</g>', '</svg>');
  return out.join('\n');
}

/** One rectangle of an exported square map: where, its fill and its title. */
export interface MapSvgRect {
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
  title: string;
}

/** A name drawn on the map (its baseline's left end), over the band of its colour it was given, if any. */
export interface MapSvgName {
  text: string;
  x: number;
  y: number;
  /** The name's colour when not the labels' (on a fill the search dims or marks). */
  fill?: string;
  band?: { x: number; y: number; w: number; h: number; fill: string };
}

/**
 * The square map as drawn, as a standalone SVG under its title and key: one rect per rectangle,
 * details in its <title>, then the names as text (searchable in a browser) where the map drew them.
 */
/** An SVG document's start: its element, the background and the title and colour key above the graph. */
function svgOpening(
  width: number,
  height: number,
  colors: SvgColors,
  header: ReturnType<typeof imageHeader>,
): string[] {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="${escapeXml(colors.background)}"/>`,
    ...header.parts.map((part) =>
      part.kind === 'text'
        ? `<text class="header" fill="${escapeXml(colors.text)}" x="${part.x}" y="${part.y}" font-size="${part.size}">${escapeXml(part.text)}</text>`
        : `<rect class="key" x="${part.x}" y="${part.y}" width="${part.size}" height="${part.size}" fill="${part.color}"/>`,
    ),
  ];
}

export function squareMapSvg(o: {
  rects: MapSvgRect[];
  names: MapSvgName[];
  width: number;
  height: number;
  title: string;
  legend: ImageLegend;
  colors: SvgColors;
}): string {
  const header = imageHeader(o.title, o.legend, o.width);
  const top = header.height;
  const height = top + o.height + 8;
  const n = (v: number) => v.toFixed(2);
  const out = svgOpening(o.width, height, o.colors, header);
  out.push(`<g stroke="${escapeXml(o.colors.background)}" stroke-width="0.5">`);
  for (const r of o.rects)
    out.push(
      `<g><title>${escapeXml(r.title)}</title>` +
        `<rect x="${n(r.x)}" y="${n(top + r.y)}" width="${n(r.w)}" height="${n(r.h)}" fill="${escapeXml(r.fill)}"/></g>`,
    );
  out.push('</g>', `<g fill="${escapeXml(o.colors.label)}">`);
  for (const name of o.names) {
    const b = name.band;
    if (b)
      out.push(
        `<rect x="${n(b.x)}" y="${n(top + b.y)}" width="${n(b.w)}" height="${n(b.h)}" fill="${escapeXml(b.fill)}"/>`,
      );
    const fill = name.fill ? ` fill="${escapeXml(name.fill)}"` : '';
    out.push(`<text x="${n(name.x)}" y="${n(top + name.y)}"${fill}>${escapeXml(name.text)}</text>`);
  }
  out.push('</g>', '</svg>');
  return out.join('\n');
}
