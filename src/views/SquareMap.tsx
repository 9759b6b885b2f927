import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { frameKindOf, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { layoutSquareMap, rectAt, REST } from '~/core/analysis/square-map';
import { placeOfFile, placeTree } from '~/core/analysis/code-places';
import { sampledStats } from '~/core/analysis/sampled-stats';
import type { SquareMapKind } from '../address/view-state';
import { canvasPalette, codeKind, frameColor, legendColor, type CodeKind } from '../flame/colors';
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
  const theme = useTheme();
  const palette = canvasPalette(theme);

  const tree = useMemo(() => (kind === 'code' ? codeMap(profile) : callMap(profile)), [profile, kind]);
  const root = kind === 'code' ? nodeOfNames(tree, props.codeZoom) : nodeOfFramePath(profile.tree, props.zoom);
  const map = useMemo(
    () =>
      size.width > 0 && size.height > 0
        ? layoutSquareMap(tree, root, size.width, size.height, MIN_SIDE, MIN_OPEN)
        : null,
    [tree, root, size],
  );

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
    let fill = '';
    for (let i = 0; i < map.count; i++) {
      const color = node[i] === REST ? palette.tiny : colorOf(node[i]);
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
    ctx.fillStyle = palette.label;
    const charWidth = ctx.measureText('M').width;
    for (let i = 0; i < map.count; i++) {
      if (node[i] === REST) continue;
      // A name goes in the node's own strip, or anywhere in a rectangle nothing is drawn inside.
      const room = map.size[i] === 1 ? h[i] : selfHeight[i];
      if (room < LABEL_HEIGHT) continue;
      const chars = Math.floor((w[i] - 6) / charWidth);
      if (chars < 3) continue;
      const name = nameOf(node[i]);
      ctx.fillText(name.length > chars ? name.slice(0, chars - 1) + '…' : name, x[i] + 3, y[i] + LABEL_HEIGHT / 2 + 1);
    }
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
  }, [map, highlighted, theme]);

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
    if (!map || !hover || hover.rect >= map.count) return;
    const i = hover.rect;
    ctx.lineWidth = 2;
    ctx.strokeStyle = palette.focus;
    ctx.strokeRect(map.x[i] + 1, map.y[i] + 1, Math.max(map.w[i] - 2, 1), Math.max(map.h[i] - 2, 1));
  }, [map, hover, size, palette.focus]);

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
   * A click selects the function of the innermost rectangle under the pointer and zooms one level
   * in toward it: into the rectangle inside the one zoomed to, or deeper while a rectangle only
   * holds one of the same size (a chain of calls), so each click changes what is shown.
   */
  const onClick = (e: MouseEvent) => {
    const innermost = rectAtPointer(e);
    if (innermost < 0 || !map) return;
    const frame = tree.frame[map.node[innermost]];
    if (frame >= 0) props.onSelect(frame);
    const path: number[] = [];
    for (let i = innermost; i >= 0; i = map.parent[i]) path.push(i);
    path.reverse();
    let k = map.node[path[0]] === root ? 1 : 0;
    const area = (i: number) => map.w[i] * map.h[i];
    while (k + 1 < path.length && area(path[k + 1]) >= area(path[k]) * (1 - 1e-9)) k++;
    if (k < path.length && tree.size[map.node[path[k]]] > 1) zoomTo(map.node[path[k]]);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.key === 'Escape' || e.key === 'Backspace') && root >= 0) {
      e.preventDefault();
      zoomTo(tree.parent[root]);
    }
  };

  /** The names of the rectangles a node lies in, out to the map's edge: those without a strip of their own show no name. */
  const enclosing = (node: number): string => {
    const names: string[] = [];
    for (let i = tree.parent[node]; i >= 0 && i !== tree.parent[root]; i = tree.parent[i]) names.push(nameOf(i));
    const shown = names.slice(0, ENCLOSING).reverse();
    return (names.length > ENCLOSING ? '… › ' : '') + shown.join(' › ');
  };

  const crumbs = root >= 0 ? pathOf(tree, root) : [];
  const shownTotal = map?.total ?? 0;
  const pct = (v: number) => (grandTotal > 0 ? `${((100 * v) / grandTotal).toFixed(2)} %` : '');

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
      aria-label="Square map: click a rectangle to select it and zoom in; Esc or Backspace zooms out"
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
      {hover && map && hover.rect < map.count && (
        <div
          class="tooltip"
          data-testid="tooltip"
          style={tooltipStyle(hover.x, hover.y, box.current!.clientWidth, box.current!.clientHeight)}
        >
          <MapTooltip
            profile={profile}
            tree={tree}
            node={map.node[hover.rect]}
            name={nameOf(map.node[hover.rect])}
            within={enclosing(map.node[hover.rect])}
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
