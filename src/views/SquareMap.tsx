import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { frameKindOf, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { layoutSquareMap, rectAt, REST } from '~/core/analysis/square-map';
import { placeOfFile, placeTree } from '~/core/analysis/code-places';
import { sampledStats } from '~/core/analysis/sampled-stats';
import type { SquareMapKind } from '../address/view-state';
import { canvasPalette, codeKind, frameColor, kindLegend, legendColor, type CodeKind } from '../flame/colors';
import { baseName, download } from '../export/download';
import { graphPng } from '../export/graph-png';
import { imageHeader, type ImageLegend } from '../export/image-header';
import { pageBackground } from '../export/page-background';
import { squareMapSvg, type MapSvgName } from '../export/svg';
import { framePath, nodeOfFramePath } from '../flame/layout';
import { displayName, visibleText } from '../flame/names';
import { tooltipStyle } from '../flame/tooltip-position';
import { WHERE } from '../table/where-column';
import { useTheme } from '../theme';
import { ZoomCrumbs } from './ZoomCrumbs';

interface Props {
  profile: Profile;
  /** Frames of the selected function, outlined wherever they are. */
  highlighted: Uint8Array | null;
  /** Frames the graph search matches (null: no search): their rectangles stand out, the others step back. */
  searchMatches: Uint8Array | null;
  onSelect(frame: number): void;
  formatWeight(w: number): string;
  /** The weight that is 100 %. */
  grandTotal: number;
  kind: SquareMapKind;
  onKind(kind: SquareMapKind): void;
  /** The call tree map's zoom: frames from a root down to the node zoomed to. */
  zoom: number[];
  onZoom(frames: number[]): void;
  /** The code map's zoom: group names from the outermost in. */
  codeZoom: string[];
  onCodeZoom(names: string[]): void;
}

/** What one map draws: a preorder tree, and for each node its frame (-1 for a group of code), name and colour. */
interface MapTree {
  count: number;
  parent: Int32Array;
  size: Int32Array;
  total: Float64Array;
  self: Float64Array;
  frame: Int32Array;
  /** A group's name ('' for nodes that are frames). */
  name: string[];
  /** Where each group's code lives, for its colour. */
  groupKind: (CodeKind | null)[];
}

const FONT = '11px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace';
const LABEL_HEIGHT = 13;
/** The smallest side drawn, and the smallest a rectangle needs to show what it holds: drawing costs what can be seen. */
const MIN_SIDE = 1;
const MIN_OPEN = 4;
/** Rectangles listed in the accessible table of the map. */
const LISTED = 30;
/** Enclosing rectangles named in a tooltip, nearest first. */
const ENCLOSING = 4;

const kindOfFrame = (p: Profile, f: number): CodeKind =>
  codeKind(stringAt(p.strings, p.frames.file[f]), stringAt(p.strings, p.frames.label[f]), frameKindOf(p.frames, f));

/** The last part of a group's name: a directory's or package path's own name. */
const shortName = (name: string) => name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1) || name;

/** Functions with their self weight: pstats entries as they are, sampled frames (lines, Tachyon's pstats entries too) by file and name. */
function functionsOf(p: Profile): { count: number; frame: Int32Array; self: Float64Array } {
  if (!p.pstats || p.pstats.sampled) return sampledStats(p);
  const self = new Float64Array(p.frames.count);
  for (let i = 0; i < p.tree.count; i++) self[p.tree.frame[i]] += p.tree.self[i];
  return { count: p.frames.count, frame: Int32Array.from({ length: p.frames.count }, (_, f) => f), self };
}

function codeMap(p: Profile): MapTree {
  const functions = functionsOf(p);
  const kinds = new Map<string, CodeKind>();
  const tree = placeTree(functions, (r) => {
    const f = functions.frame[r];
    const kind = kindOfFrame(p, f);
    kinds.set(WHERE[kind].text, kind);
    return [WHERE[kind].text, ...placeOfFile(stringAt(p.strings, p.frames.file[f]))];
  });
  const groupKind: (CodeKind | null)[] = new Array(tree.count).fill(null);
  for (let i = 0; i < tree.count; i++)
    if (tree.frame[i] < 0) groupKind[i] = tree.parent[i] < 0 ? kinds.get(tree.name[i])! : groupKind[tree.parent[i]];
  return { ...tree, groupKind };
}

function callMap(p: Profile): MapTree {
  return { ...p.tree, name: [], groupKind: [] };
}

/** A node's ancestors, outermost first, ending with the node. */
function pathOf(tree: MapTree, node: number): number[] {
  const path: number[] = [];
  for (let i = node; i >= 0; i = tree.parent[i]) path.push(i);
  return path.reverse();
}

/** The code map's node that a path of group names leads to, as far as the names lead; -1 for none. */
function nodeOfNames(tree: MapTree, names: readonly string[]): number {
  let node = -1;
  for (const name of names) {
    const end = node < 0 ? tree.count : node + tree.size[node];
    let found = -1;
    for (let i = node + 1; i < end; i += tree.size[i])
      if (tree.frame[i] < 0 && tree.name[i] === name) {
        found = i;
        break;
      }
    if (found < 0) break;
    node = found;
  }
  return node;
}

/**
 * RunSnakeRun's square map on a canvas: the call tree as nested rectangles sized by total time, or
 * where code lives (package › module › file › function) sized by self time. Clicking a rectangle
 * selects its function and zooms into it; the crumbs, Esc and Backspace go back out.
 */
export function SquareMap(props: Props) {
  const { profile, kind, highlighted, formatWeight, grandTotal } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [hover, setHover] = useState<{ rect: number; x: number; y: number } | null>(null);
  /** The node the arrow keys moved to (a node of the map's tree, so that it outlives a new layout); -1 for none. */
  const [focus, setFocus] = useState(-1);
  const theme = useTheme();
  const palette = canvasPalette(theme);

  const tree = useMemo(() => (kind === 'code' ? codeMap(profile) : callMap(profile)), [profile, kind]);
  useEffect(() => setFocus(-1), [tree]);
  const root = kind === 'code' ? nodeOfNames(tree, props.codeZoom) : nodeOfFramePath(profile.tree, props.zoom);
  const map = useMemo(
    () =>
      size.width > 0 && size.height > 0
        ? layoutSquareMap(tree, root, size.width, size.height, MIN_SIDE, MIN_OPEN)
        : null,
    [tree, root, size],
  );

  /** The rectangle of the focused node, -1 when it is not drawn. */
  const focusRect = map && focus >= 0 ? map.node.indexOf(focus) : -1;

  useLayoutEffect(() => {
    const c = canvas.current!;
    const measure = () => {
      const width = Math.floor(c.clientWidth),
        height = Math.floor(c.clientHeight);
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(c);
    return () => observer.disconnect();
  }, []);

  // Frame ids are the profile's own: another profile has its own cache.
  const frameColorOf = useMemo(() => {
    const colors = new Map<number, string>();
    return (f: number): string => {
      let c = colors.get(f);
      if (c === undefined) {
        c = frameColor(kindOfFrame(profile, f), stringAt(profile.strings, profile.frames.name[f]));
        colors.set(f, c);
      }
      return c;
    };
  }, [profile]);
  const nameOf = (node: number) =>
    tree.frame[node] >= 0 ? displayName(profile, tree.frame[node]) : visibleText(shortName(tree.name[node]));
  const colorOf = (node: number): string =>
    tree.frame[node] >= 0 ? frameColorOf(tree.frame[node]) : legendColor(tree.groupKind[node] ?? 'other');

  const matched = (m: NonNullable<typeof map>, i: number) =>
    m.node[i] !== REST && tree.frame[m.node[i]] >= 0 && props.searchMatches![tree.frame[m.node[i]]] === 1;
  /** A rectangle's fill: where its code lives, or the search's colours while a search is on. */
  const fillOf = (m: NonNullable<typeof map>, i: number) =>
    props.searchMatches
      ? matched(m, i)
        ? palette.match
        : palette.dim
      : m.node[i] === REST
        ? palette.tiny
        : colorOf(m.node[i]);
  /** The names last drawn, for the SVG. */
  const drawnNames = useRef<MapSvgName[]>([]);

  // The map, drawn whole whenever its layout, the selection or the scheme changes.
  useLayoutEffect(() => {
    const c = canvas.current;
    if (!c || !map) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(size.width * dpr);
    c.height = Math.round(size.height * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.width, size.height);
    const { node, x, y, w, h, selfHeight } = map;
    const { searchMatches } = props;
    const names: MapSvgName[] = [];
    let fill = '';
    for (let i = 0; i < map.count; i++) {
      const color = fillOf(map, i);
      if (color !== fill) ctx.fillStyle = fill = color;
      ctx.fillRect(x[i], y[i], w[i], h[i]);
    }
    // Borders show the nesting; rectangles a few pixels wide are their border.
    ctx.beginPath();
    for (let i = 0; i < map.count; i++)
      if (w[i] >= 4 && h[i] >= 4) ctx.rect(x[i] + 0.5, y[i] + 0.5, w[i] - 1, h[i] - 1);
    ctx.globalAlpha = 0.45;
    ctx.lineWidth = 1;
    ctx.strokeStyle = palette.outline;
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    const charWidth = ctx.measureText('M').width;
    // Where each rectangle's name goes: its top, or below the band of a rectangle around it that
    // covers that top. A rectangle without a strip of its own (a thread, a caller: no self time)
    // gets a band of its colour across its top when it has room, so that it is named too.
    const nameTop = new Float64Array(map.count);
    const banded: string[] = [];
    const innerTop = new Float64Array(map.count);
    for (let i = 0; i < map.count; i++) {
      const p = map.parent[i];
      const top = (nameTop[i] = p >= 0 ? Math.max(y[i], innerTop[p]) : y[i]);
      innerTop[i] = top;
      if (node[i] === REST) continue;
      const chars = Math.floor((w[i] - 6) / charWidth);
      const left = y[i] + h[i] - top;
      const own = map.size[i] === 1 ? left : top === y[i] ? selfHeight[i] : 0;
      let band = false;
      if (own < LABEL_HEIGHT) {
        if (map.size[i] === 1 || left < 3 * LABEL_HEIGHT || chars < 3) continue;
        band = true;
        innerTop[i] = top + LABEL_HEIGHT;
        ctx.fillStyle = fillOf(map, i);
        ctx.fillRect(x[i] + 1, top + 1, w[i] - 2, LABEL_HEIGHT - 1);
      }
      if (chars < 3) continue;
      const name = nameOf(node[i]);
      const ink = searchMatches ? (matched(map, i) ? palette.matchLabel : palette.dimLabel) : palette.label;
      const text = name.length > chars ? name.slice(0, chars - 1) + '…' : name;
      ctx.fillStyle = ink;
      ctx.fillText(text, x[i] + 3, top + LABEL_HEIGHT / 2 + 1);
      names.push({
        text,
        x: x[i] + 3,
        y: top + LABEL_HEIGHT - 3,
        ...(ink !== palette.label && { fill: ink }),
        ...(band && { band: { x: x[i] + 1, y: top + 1, w: w[i] - 2, h: LABEL_HEIGHT - 1, fill: fillOf(map, i) } }),
      });
      if (band) banded.push(text);
    }
    // The names given a band, for the map's tests: a canvas keeps no text to read back.
    c.dataset.banded = banded.join('\n');
    drawnNames.current = names;
    if (highlighted) {
      ctx.lineWidth = 2;
      ctx.strokeStyle = palette.outline;
      for (let i = 0; i < map.count; i++) {
        const f = node[i] === REST ? -1 : tree.frame[node[i]];
        if (f >= 0 && highlighted[f]) ctx.strokeRect(x[i] + 1, y[i] + 1, Math.max(w[i] - 2, 1), Math.max(h[i] - 2, 1));
      }
    }
    c.dataset.painted = String(map.count);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- drawn from the layout; names and colours follow the profile the layout was made from
  }, [map, highlighted, theme, props.searchMatches]);

  // The rectangle under the pointer is outlined on a canvas of its own, so hovering does not draw the map again.
  useLayoutEffect(() => {
    const c = overlay.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(size.width * dpr)) c.width = Math.round(size.width * dpr);
    if (c.height !== Math.round(size.height * dpr)) c.height = Math.round(size.height * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.width, size.height);
    if (!map) return;
    const i = hover && hover.rect < map.count ? hover.rect : focusRect;
    if (i < 0) return;
    ctx.lineWidth = 2;
    ctx.strokeStyle = palette.focus;
    ctx.strokeRect(map.x[i] + 1, map.y[i] + 1, Math.max(map.w[i] - 2, 1), Math.max(map.h[i] - 2, 1));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the focused rectangle follows from the layout and the focus
  }, [map, hover, size, palette.focus, focus]);

  useEffect(() => setHover(null), [map]);

  const zoomTo = (node: number) => {
    if (kind === 'code') {
      props.onCodeZoom(node < 0 ? [] : pathOf(tree, node).map((n) => tree.name[n]));
    } else {
      props.onZoom(node < 0 ? [] : framePath(profile.tree, node));
    }
  };

  const rectAtPointer = (e: PointerEvent | MouseEvent): number => {
    if (!map) return -1;
    const r = canvas.current!.getBoundingClientRect();
    return rectAt(map, e.clientX - r.left, e.clientY - r.top);
  };

  const onPointerMove = (e: PointerEvent) => {
    const rect = rectAtPointer(e);
    const b = box.current!.getBoundingClientRect();
    setHover(rect < 0 ? null : { rect, x: e.clientX - b.left, y: e.clientY - b.top });
  };

  /**
   * A click selects the function of the innermost rectangle under the pointer and zooms exactly one
   * level in toward it, into the rectangle inside the one zoomed to, as Esc goes one level out.
   */
  const onClick = (e: MouseEvent) => {
    const innermost = rectAtPointer(e);
    if (innermost < 0 || !map) return;
    const frame = tree.frame[map.node[innermost]];
    if (frame >= 0) props.onSelect(frame);
    const path: number[] = [];
    for (let i = innermost; i >= 0; i = map.parent[i]) path.push(i);
    path.reverse();
    const k = map.node[path[0]] === root ? 1 : 0;
    if (k < path.length && map.node[path[k]] !== REST && tree.size[map.node[path[k]]] > 1) zoomTo(map.node[path[k]]);
  };

  /** The rectangle the arrow keys move to from `from`: its parent, its first child or a sibling. */
  const rectToward = (from: number, key: string): number => {
    if (!map) return -1;
    if (key === 'ArrowUp') return map.parent[from] >= 0 ? map.parent[from] : from;
    if (key === 'ArrowDown') return from + 1 < map.count && map.parent[from + 1] === from ? from + 1 : from;
    const siblings: number[] = [];
    for (let i = 0; i < map.count; i++) if (map.parent[i] === map.parent[from]) siblings.push(i);
    const at = siblings.indexOf(from) + (key === 'ArrowRight' ? 1 : -1);
    return at >= 0 && at < siblings.length ? siblings[at] : from;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.key === 'Escape' || e.key === 'Backspace') && root >= 0) {
      e.preventDefault();
      zoomTo(tree.parent[root]);
    } else if (e.key.startsWith('Arrow') && map && map.count > 0) {
      e.preventDefault();
      setHover(null);
      // Smaller rectangles drawn as one grey run are not one node: the focus stays where it is.
      const next = focusRect < 0 ? 0 : rectToward(focusRect, e.key);
      if (map.node[next] === REST) return;
      setFocus(map.node[next]);
      if (tree.frame[map.node[next]] >= 0) props.onSelect(tree.frame[map.node[next]]);
    } else if (e.key === 'Enter' && focusRect >= 0 && focus !== root && tree.size[focus] > 1) {
      e.preventDefault();
      zoomTo(focus);
    }
  };

  /** The names of the rectangles a node lies in, out to the map's edge: those without a strip of their own show no name. */
  const enclosing = (node: number): string => {
    const names: string[] = [];
    for (let i = tree.parent[node]; i >= 0 && i !== tree.parent[root]; i = tree.parent[i]) names.push(nameOf(i));
    const shown = names.slice(0, ENCLOSING).reverse();
    return (names.length > ENCLOSING ? '… › ' : '') + shown.join(' › ');
  };

  /** The rectangle whose values show: the one under the pointer, else the one the arrow keys moved to. */
  const tipRect = map && hover && hover.rect < map.count ? hover.rect : focusRect;
  /** Beside the focused rectangle's top left corner, as the tooltip is beside the pointer. */
  const focusTooltipStyle = (i: number) => {
    const c = canvas.current!.getBoundingClientRect(),
      b = box.current!.getBoundingClientRect();
    return tooltipStyle(
      c.left - b.left + map!.x[i] + 8,
      c.top - b.top + map!.y[i] + 8,
      box.current!.clientWidth,
      box.current!.clientHeight,
    );
  };

  const crumbs = root >= 0 ? pathOf(tree, root) : [];
  const shownTotal = map?.total ?? 0;
  const pct = (v: number) => (grandTotal > 0 ? `${((100 * v) / grandTotal).toFixed(2)} %` : '');

  const exportFile = `${baseName(profile.fileName)}-square-map`;
  const exportTitle = () =>
    `${visibleText(profile.fileName)} — square map, ${kind === 'code' ? 'code by self' : 'calls by total'}` +
    (root >= 0 ? ` — zoomed to ${crumbs.map(nameOf).join(' › ')}` : '');
  const exportLegend = (): ImageLegend => ({
    keys: kindLegend.map(([k, text]) => ({ color: legendColor(k), text })),
    lines: [`shown: ${formatWeight(shownTotal)}${grandTotal > 0 ? ` (${pct(shownTotal)})` : ''}`],
  });
  const exportSvg = () => {
    if (!map) return;
    const rects = Array.from({ length: map.count }, (_, i) => ({
      x: map.x[i],
      y: map.y[i],
      w: map.w[i],
      h: map.h[i],
      fill: fillOf(map, i),
      title:
        map.node[i] === REST
          ? `smaller rectangles, not drawn one by one\n${formatWeight(map.restWeight[i])}`
          : `${nameOf(map.node[i])}\n${formatWeight(tree.total[map.node[i]])} (${pct(tree.total[map.node[i]])})`,
    }));
    const svg = squareMapSvg({
      rects,
      names: drawnNames.current,
      width: size.width,
      height: size.height,
      title: exportTitle(),
      legend: exportLegend(),
      colors: { background: pageBackground(), text: palette.text, label: palette.label },
    });
    download(new Blob([svg], { type: 'image/svg+xml' }), `${exportFile}.svg`);
  };
  const exportPng = () => {
    const c = canvas.current;
    if (!c || !map) return;
    const header = imageHeader(exportTitle(), exportLegend(), size.width);
    void graphPng(c, 0, size.height, header, palette.text).then((png) => download(png, `${exportFile}.png`));
  };

  /** The rectangles directly inside the map's outermost one, largest first, for the accessible table. */
  const listed = useMemo(() => {
    if (!map) return [];
    const out: number[] = [];
    const inner = root >= 0 && map.count > 0 ? 0 : -1;
    for (let i = 0; i < map.count; i++) if (map.parent[i] === inner) out.push(i);
    return out.sort((a, b) => map.w[b] * map.h[b] - map.w[a] * map.h[a]);
  }, [map, root]);
  const weightOf = (i: number) => (map!.node[i] === REST ? map!.restWeight[i] : tree.total[map!.node[i]]);

  return (
    <div
      class="flame square-map"
      ref={box}
      data-testid="square-map"
      tabIndex={0}
      aria-label="Square map: click a rectangle to select it and zoom in one level; Esc or Backspace zooms out; arrows move between rectangles, Enter zooms in"
      onKeyDown={onKeyDown}
    >
      <div class="flame-bar">
        <ZoomCrumbs
          path={crumbs}
          zoomed={root >= 0}
          name={nameOf}
          title={(node) =>
            visibleText(
              tree.frame[node] >= 0
                ? stringAt(profile.strings, profile.frames.label[tree.frame[node]])
                : tree.name[node],
            )
          }
          zoomTo={zoomTo}
        />
        <span class="crumb-tools map-kind" role="group" aria-label="Map">
          <button class="crumb" aria-pressed={kind === 'calls'} onClick={() => props.onKind('calls')}>
            calls by total
          </button>
          <button class="crumb" aria-pressed={kind === 'code'} onClick={() => props.onKind('code')}>
            code by self
          </button>
          <button class="crumb" onClick={exportSvg} title="Save the map as SVG (text stays text)">
            SVG
          </button>
          <button class="crumb" onClick={exportPng} title="Save the map as PNG">
            PNG
          </button>
        </span>
      </div>
      <p class="map-summary" data-testid="map-summary">
        <span data-testid="map-total">
          {root >= 0 ? nameOf(root) : kind === 'code' ? 'all code' : 'all'}: {formatWeight(shownTotal)}
          {grandTotal > 0 && ` (${pct(shownTotal)})`}
        </span>
        {map && map.hidden > 0 && (
          <span class="muted" data-testid="map-hidden">
            {' '}
            · {formatWeight(map.hidden)} ({((100 * map.hidden) / map.total).toFixed(1)} % of this map) not drawn one by
            one: in rectangles under {MIN_SIDE} pixel or inside ones under {MIN_OPEN} pixels (zoom in to see them)
            {map.restWeight.some((w) => w > 0) && '; grey where many lie together'}
          </span>
        )}
      </p>
      <div class="square-map-canvases">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`Square map of ${visibleText(profile.fileName)}`}
          class="flame-canvas"
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHover(null)}
          onClick={onClick}
        />
        <canvas ref={overlay} class="square-map-overlay" aria-hidden="true" />
      </div>
      <table
        class="visually-hidden"
        data-testid="map-rects"
        data-total={shownTotal}
        data-area={size.width * size.height}
      >
        <caption>
          Largest rectangles of the map ({size.width} × {size.height} pixels)
        </caption>
        <thead>
          <tr>
            <th scope="col">name</th>
            <th scope="col">weight</th>
            <th scope="col">area</th>
          </tr>
        </thead>
        <tbody>
          {listed.slice(0, LISTED).map((i) => (
            <tr key={i} data-weight={weightOf(i)} data-area={map!.w[i] * map!.h[i]}>
              <td>{map!.node[i] === REST ? 'smaller rectangles, not drawn one by one' : nameOf(map!.node[i])}</td>
              <td>{formatWeight(weightOf(i))}</td>
              <td>{((100 * map!.w[i] * map!.h[i]) / (size.width * size.height)).toFixed(2)} %</td>
            </tr>
          ))}
        </tbody>
      </table>
      {tipRect >= 0 && (
        <div
          class="tooltip"
          data-testid="tooltip"
          style={
            hover && hover.rect === tipRect
              ? tooltipStyle(hover.x, hover.y, box.current!.clientWidth, box.current!.clientHeight)
              : focusTooltipStyle(tipRect)
          }
        >
          <MapTooltip
            profile={profile}
            tree={tree}
            node={map!.node[tipRect]}
            name={nameOf(map!.node[tipRect])}
            within={enclosing(map!.node[tipRect])}
            formatWeight={formatWeight}
            pct={pct}
          />
        </div>
      )}
    </div>
  );
}

function MapTooltip({
  profile,
  tree,
  node,
  name,
  within,
  formatWeight,
  pct,
}: {
  profile: Profile;
  tree: MapTree;
  node: number;
  name: string;
  within: string;
  formatWeight(w: number): string;
  pct(w: number): string;
}) {
  const f = tree.frame[node];
  const file = f >= 0 ? stringAt(profile.strings, profile.frames.file[f]) : '';
  const line = f >= 0 ? profile.frames.line[f] : -1;
  const place = f < 0 ? tree.name[node] : file && file !== '~' ? (line >= 0 ? `${file}:${line}` : file) : '';
  return (
    <>
      <div class="tt-name">{name}</div>
      {place && place !== name && <div class="tt-file">{visibleText(place)}</div>}
      {within && <div class="tt-file">in {within}</div>}
      <div>
        total: {formatWeight(tree.total[node])} ({pct(tree.total[node])})
      </div>
      <div>
        self: {formatWeight(tree.self[node])} ({pct(tree.self[node])})
      </div>
    </>
  );
}
