import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { frameKindOf, type CallTree, type FrameTable, type Profile } from '~/core/model/profile';
import { canvasPalette, codeKind, frameColor, kindLegend, legendColor } from '../flame/colors';
import { useTheme } from '../theme';
import { BoxRaster, packColor, type PackedColor } from '../flame/box-raster';
import { displayName, visibleText } from '../flame/names';
import { baseName, download } from '../export/download';
import { flameSvg } from '../export/svg';
import { pageBackground } from '../export/page-background';
import { graphPng } from '../export/graph-png';
import { imageHeader, type ImageLegend } from '../export/image-header';
import { tooltipStyle } from '../flame/tooltip-position';
import {
  firstMatch,
  framePath,
  maxDepth,
  nodeAt,
  nodeOfFramePath,
  nodeStart,
  nodeStarts,
  pathTo,
  searchTree,
  treeTotal,
} from '../flame/layout';
import { MIN_WIDTH_PX } from '../flame/drawn-tree';
import { stringAt } from '~/core/model/string-pack';
import { ZoomCrumbs } from './ZoomCrumbs';

export type Orientation = 'flame' | 'icicle';

interface Props {
  profile: Profile;
  tree: CallTree;
  orientation: Orientation;
  /** Frames to outline: the selected function wherever it appears. */
  highlighted: Uint8Array | null;
  /** Frames matching the search, or null when there is no search. */
  searchMatches: Uint8Array | null;
  onSelect(frame: number): void;
  /** Text for a weight, e.g. "1.234 s" or "42 samples". */
  formatWeight(w: number): string;
  /** The weight that is 100 %. */
  grandTotal: number;
  /** Colours nodes by something other than where their code lives (the differential graph). */
  nodeColor?(node: number): string;
  /** More lines for a node's tooltip. */
  tooltipLines?(node: number): string[];
  /** What an exported image is called and says it shows, when not the profile's flame graph or icicle. */
  exportAs?: { file: string; title: string };
  /** What an exported image's key says, when its colours are not where code lives (the differential graph). */
  legend?: ImageLegend;
  /** The node zoomed to, as the frames from a root down to it (the address keeps it); with `onZoom`. */
  zoom?: number[];
  onZoom?(frames: number[]): void;
  testId?: string;
  /**
   * The tree holds only what the unzoomed graph draws (`drawnTree`), while the whole one is made:
   * it is drawn, and zoom, hover, selection and export wait for the whole tree.
   */
  partial?: boolean;
}

const ROW = 18;
const FONT = '11px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace';

interface Viewport {
  x0: number;
  x1: number;
  /** Vertical scroll in pixels, away from the root row. */
  y: number;
}

/** Whether the canvas's pixels are those of its size on screen: a canvas drawn at that size needs no new drawing. */
function fitsBacking(c: HTMLCanvasElement): boolean {
  const dpr = window.devicePixelRatio || 1;
  return c.width === Math.round(c.clientWidth * dpr) && c.height === Math.round(c.clientHeight * dpr);
}

/**
 * A flame graph (root at the bottom) or icicle (root at the top) on a canvas. Only nodes wider
 * than a fraction of a pixel are drawn; a narrower node's whole subtree is skipped in one step,
 * so a frame costs in proportion to what is visible, not to the size of the tree.
 */
export function FlameGraph(props: Props) {
  const { tree, profile, orientation, partial = false } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const total = useMemo(() => treeTotal(tree), [tree]);
  const depthCount = useMemo(() => maxDepth(tree), [tree]);
  const view = useRef<Viewport>({ x0: 0, x1: total || 1, y: 0 });
  const [zoomed, setZoomed] = useState(-1);
  /** Rows of the tree out of view above and below the canvas. */
  const [more, setMore] = useState({ above: 0, below: 0 });
  const [focus, setFocus] = useState(-1);
  /** Whether the focused frame was reached by keyboard and the graph still has the focus: its values are shown. */
  const [keyboardFocus, setKeyboardFocus] = useState(false);
  const [hover, setHover] = useState<{ node: number; x: number; y: number } | null>(null);
  const frameRequest = useRef(0);
  /** Each frame's colour, made when it is first drawn and kept while the frames are: a new tree of them needs none again. */
  const colors = useRef<{ of: FrameTable | null; packed: PackedColor[] }>({ of: null, packed: [] });
  const nextStart = useRef(new Float64Array(0));
  const [raster] = useState(() => new BoxRaster());
  const theme = useTheme();
  const palette = canvasPalette(theme);
  /** The rows of the tree the last frame drew something on, nearest and furthest from the root. */
  const drawnRows = useRef<[number, number]>([0, -1]);
  /** The tree last drawn, so that the first paint of each tree is marked for measurement. */
  const painted = useRef<CallTree | null>(null);

  const search = useMemo(
    () => (props.searchMatches ? searchTree(tree, props.searchMatches) : null),
    [tree, props.searchMatches],
  );

  /** The weight range that shows a node whole, or the whole tree for -1. */
  const rangeOf = (node: number) => {
    const x0 = node < 0 ? 0 : nodeStart(tree, node);
    return { x0, x1: node < 0 ? total || 1 : x0 + (tree.total[node] || total * 1e-9) };
  };

  // A new tree is drawn before the browser paints the page that shows it, not in a later frame. A
  // tree, and each orientation of it, opens at its root, zoomed as the address says.
  useLayoutEffect(() => {
    const node = nodeOfFramePath(tree, props.zoom ?? []);
    view.current = { ...rangeOf(node), y: 0 };
    setZoomed(node);
    setFocus(-1);
    cancelAnimationFrame(frameRequest.current);
    latestDraw.current();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the view resets for a new tree or orientation only; a zoom named later is followed below
  }, [tree, orientation]);

  const colorOf = (frame: number): PackedColor => {
    let c = colors.current.packed[frame];
    if (c === undefined) {
      const file = stringAt(profile.strings, profile.frames.file[frame]);
      const label = stringAt(profile.strings, profile.frames.label[frame]);
      c = packColor(
        frameColor(
          codeKind(file, label, frameKindOf(profile.frames, frame)),
          stringAt(profile.strings, profile.frames.name[frame]),
        ),
      );
      colors.current.packed[frame] = c;
    }
    return c;
  };

  const rowTop = (depth: number, height: number): number =>
    orientation === 'icicle' ? depth * ROW - view.current.y : height - (depth + 1) * ROW + view.current.y;

  const draw = () => {
    frameRequest.current = 0;
    if (colors.current.of !== profile.frames) colors.current = { of: profile.frames, packed: [] };
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const width = c.clientWidth,
      height = c.clientHeight;
    if (!fitsBacking(c)) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
    }
    const ctx = c.getContext('2d')!;
    const { x0, x1, y } = view.current;
    // Rows out of view toward the root and toward the leaves, said above and below the graph.
    const rootward = Math.min(depthCount, Math.ceil(y / ROW - 0.01)),
      leafward = Math.max(0, depthCount - Math.floor((y + height) / ROW + 0.01));
    const [above, below] = orientation === 'icicle' ? [rootward, leafward] : [leafward, rootward];
    if (above !== more.above || below !== more.below) setMore({ above, below });
    raster.begin(
      ctx,
      c.width,
      c.height,
      dpr,
      Math.max(0, Math.floor(y / ROW)),
      Math.min(depthCount - 1, Math.floor((y + height) / ROW)),
    );
    ctx.font = FONT;
    const charWidth = ctx.measureText('M').width;
    const scale = width / (x1 - x0);
    const matched = search?.matched;
    const outlined: [number, number, number][] = [];
    let focusRing: [number, number, number] | null = null;
    /** Node, characters of room, x and y of each name to draw. */
    const labels: number[] = [];
    const { depth, size, frame, total: weight, count } = tree;
    const { highlighted, nodeColor } = props;
    const icicle = orientation === 'icicle';
    const boxes = raster;
    const tiny = packColor(palette.tiny),
      match = packColor(palette.match),
      dim = packColor(palette.dim);
    // Where the next node at each depth starts: set by its parent, then moved on by each sibling.
    // Made as the nodes are walked, so only the ones drawn or stepped over cost anything.
    if (nextStart.current.length <= depthCount) nextStart.current = new Float64Array(depthCount + 1);
    const nextX = nextStart.current;
    nextX[0] = 0;
    // Siblings too narrow to draw one by one are drawn as one grey run, so their share stays visible.
    let runLeft = 0,
      runRight = -1,
      runDepth = 0;
    const rows: [number, number] = [depthCount, -1];
    const drewOn = (d: number) => {
      if (d < rows[0]) rows[0] = d;
      if (d > rows[1]) rows[1] = d;
    };
    const flushRun = () => {
      if (runRight - runLeft >= 1) {
        boxes.box(runDepth, runLeft, runRight - 0.5, tiny);
        drewOn(runDepth);
      }
      runRight = -1;
    };
    for (let i = 0; i < count;) {
      const d = depth[i],
        start = nextX[d];
      nextX[d] = start + weight[i];
      nextX[d + 1] = start;
      const left = (start - x0) * scale;
      const right = left + weight[i] * scale;
      const top = rowTop(depth[i], height);
      const below = icicle ? top > height : top + ROW < 0;
      if (right < 0 || left > width || below) {
        i += size[i];
        continue;
      }
      if (right - left < MIN_WIDTH_PX) {
        if (runRight < 0 || depth[i] !== runDepth || left - runRight > 0.5) {
          flushRun();
          runLeft = Math.max(left, 0);
          runDepth = depth[i];
        }
        runRight = Math.min(right, width);
        i += size[i];
        continue;
      }
      flushRun();
      const visibleRow = icicle ? top + ROW >= 0 : top <= height;
      if (visibleRow) {
        const l = Math.max(left, 0),
          r = Math.min(right, width);
        const f = frame[i];
        drewOn(depth[i]);
        boxes.box(
          depth[i],
          l,
          Math.max(r - 0.5, l + 0.5),
          matched ? (matched[i] ? match : dim) : nodeColor ? packColor(nodeColor(i)) : colorOf(f),
        );
        if (highlighted?.[f]) outlined.push([l, top, r - l]);
        if (i === focus) focusRing = [l, top, r - l];
        const room = Math.floor((r - l - 6) / charWidth);
        if (room >= 3) labels.push(i, room, l + 3, top + ROW / 2);
      }
      i++;
    }
    flushRun();
    drawnRows.current = rows;
    boxes.finish(ctx, (d) => rowTop(d, height), ROW - 1);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.textBaseline = 'middle';
    let fill = '';
    for (let k = 0; k < labels.length; k += 4) {
      const node = labels[k],
        room = labels[k + 1];
      const name = displayName(profile, frame[node]);
      const color = matched ? (matched[node] ? palette.matchLabel : palette.dimLabel) : palette.label;
      if (color !== fill) ctx.fillStyle = fill = color;
      ctx.fillText(name.length > room ? name.slice(0, room - 1) + '…' : name, labels[k + 2], labels[k + 3]);
    }
    ctx.lineWidth = 2;
    ctx.strokeStyle = palette.outline;
    for (const [l, top, w] of outlined) ctx.strokeRect(l + 1, top + 1, Math.max(w - 2.5, 1), ROW - 3);
    if (focusRing) {
      const [l, top, w] = focusRing;
      ctx.lineWidth = 3;
      ctx.strokeStyle = palette.focus;
      ctx.strokeRect(l + 1.5, top + 1.5, Math.max(w - 3.5, 1), ROW - 4);
    }
    if (painted.current !== tree) {
      painted.current = tree;
      performance.mark('kiln:flame-painted');
      c.dataset.painted = String(tree.count);
    }
  };

  const latestDraw = useRef(draw);
  latestDraw.current = draw;
  const redraw = () => {
    if (!frameRequest.current) frameRequest.current = requestAnimationFrame(() => latestDraw.current());
  };
  // The layout effect has drawn the first frame: these draw again only when what they watch changes.
  const drawnFirst = useRef(false);
  useEffect(() => {
    if (drawnFirst.current) redraw();
    drawnFirst.current = true;
  }, [props.highlighted, search, focus, orientation, props.nodeColor, theme]);
  useEffect(() => {
    const observer = new ResizeObserver(() => {
      if (canvas.current && !fitsBacking(canvas.current)) redraw();
    });
    observer.observe(canvas.current!);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frameRequest.current);
      frameRequest.current = 0;
    };
  }, []);

  const zoomTo = (node: number) => {
    setZoomed(node);
    view.current = { ...rangeOf(node), y: node < 0 ? 0 : view.current.y };
    props.onZoom?.(node < 0 ? [] : framePath(tree, node));
    redraw();
  };

  // A zoom the address names after the tree is shown (a link followed, the back button) is followed.
  const zoomKey = props.zoom?.join('.') ?? '';
  useEffect(() => {
    if (!props.onZoom || props.partial) return;
    const node = nodeOfFramePath(tree, props.zoom ?? []);
    if (node !== zoomed) zoomTo(node);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- followed when the address's zoom changes
  }, [zoomKey]);

  /** Scrolls a row of the tree to the middle of the canvas, unless it is on screen already. */
  const revealRow = (d: number) => {
    const height = canvas.current!.clientHeight,
      top = rowTop(d, height);
    if (top >= 0 && top + ROW <= height) return;
    const y = orientation === 'icicle' ? d * ROW - (height - ROW) / 2 : (d + 1) * ROW - (height + ROW) / 2;
    view.current = { ...view.current, y: Math.max(0, Math.min(maxY(), y)) };
    redraw();
  };

  /** The lowest vertical scroll: the row furthest from the root at the canvas's far edge. */
  const maxY = () => Math.max(0, depthCount * ROW - canvas.current!.clientHeight + ROW);

  // A search brings its first match into view: zoomed out if the zoom hides it, scrolled to its row.
  useEffect(() => {
    const node = search && !props.partial ? firstMatch(tree, search.matched) : -1;
    const c = canvas.current;
    if (node < 0 || !c) return;
    const start = nodeStart(tree, node);
    if (start + tree.total[node] <= view.current.x0 || start >= view.current.x1) zoomTo(-1);
    revealRow(tree.depth[node]);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- for a new search only
  }, [search]);

  const zoomBy = (factor: number, atFraction = 0.5) => {
    const v = view.current;
    const span = v.x1 - v.x0;
    const at = v.x0 + span * atFraction;
    const next = Math.min(total || 1, Math.max(span * factor, (total || 1) * 1e-9));
    let x0 = at - next * atFraction;
    x0 = Math.max(0, Math.min(x0, (total || 1) - next));
    view.current = { ...v, x0, x1: x0 + next };
    redraw();
  };

  const panBy = (dxPixels: number, dyPixels: number) => {
    const c = canvas.current!;
    const v = view.current;
    const span = v.x1 - v.x0;
    let x0 = v.x0 + (dxPixels / c.clientWidth) * span;
    x0 = Math.max(0, Math.min(x0, (total || 1) - span));
    const y = Math.max(0, Math.min(maxY(), v.y + (orientation === 'icicle' ? dyPixels : -dyPixels)));
    view.current = { x0, x1: x0 + span, y };
    redraw();
  };

  const nodeAtPoint = (clientX: number, clientY: number): number => {
    const c = canvas.current!;
    const rect = c.getBoundingClientRect();
    const px = clientX - rect.left,
      py = clientY - rect.top;
    const v = view.current;
    const x = v.x0 + (px / c.clientWidth) * (v.x1 - v.x0);
    const depth =
      orientation === 'icicle' ? Math.floor((py + v.y) / ROW) : Math.floor((c.clientHeight - py + v.y) / ROW);
    return depth < 0 ? -1 : nodeAt(tree, x, depth);
  };

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  const onPointerDown = (e: PointerEvent) => {
    setKeyboardFocus(false);
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (d) {
      const dx = e.clientX - d.x,
        dy = e.clientY - d.y;
      if (d.moved || Math.abs(dx) + Math.abs(dy) > 3) {
        d.moved = true;
        panBy(-dx, -dy);
        d.x = e.clientX;
        d.y = e.clientY;
        setHover(null);
        return;
      }
    }
    const node = nodeAtPoint(e.clientX, e.clientY);
    const rect = box.current!.getBoundingClientRect();
    setHover(node < 0 ? null : { node, x: e.clientX - rect.left, y: e.clientY - rect.top });
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) {
      const node = nodeAtPoint(e.clientX, e.clientY);
      if (node >= 0) {
        setFocus(node);
        props.onSelect(tree.frame[node]);
        zoomTo(node);
      }
    }
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      panBy(e.deltaX || e.deltaY, 0);
    } else if (e.ctrlKey || e.metaKey || e.altKey) {
      panBy(0, e.deltaY);
    } else {
      const rect = canvas.current!.getBoundingClientRect();
      zoomBy(Math.exp(e.deltaY * 0.002), (e.clientX - rect.left) / rect.width);
    }
  };

  const moveFocus = (key: string): void => {
    const from = focus >= 0 ? focus : zoomed >= 0 ? zoomed : tree.count ? 0 : -1;
    if (from < 0) return;
    const towardLeaves = orientation === 'icicle' ? 'ArrowDown' : 'ArrowUp';
    let next = from;
    if (key === towardLeaves) {
      if (tree.size[from] > 1) next = from + 1;
    } else if (key === 'ArrowUp' || key === 'ArrowDown') {
      if (tree.parent[from] >= 0) next = tree.parent[from];
    } else {
      const p = tree.parent[from];
      const siblings: number[] = [];
      for (let i = p < 0 ? 0 : p + 1, end = p < 0 ? tree.count : p + tree.size[p]; i < end; i += tree.size[i])
        siblings.push(i);
      const at = siblings.indexOf(from) + (key === 'ArrowRight' ? 1 : -1);
      if (at >= 0 && at < siblings.length) next = siblings[at];
    }
    setFocus(next);
    setKeyboardFocus(true);
    props.onSelect(tree.frame[next]);
    const v = view.current;
    const start = nodeStart(tree, next);
    if (start < v.x0 || start + tree.total[next] > v.x1) zoomTo(next);
    revealRow(tree.depth[next]);
  };

  /** Where the focused frame's values are shown: beside its box, as the tooltip is beside the pointer. */
  const focusTooltipStyle = () => {
    const c = canvas.current!,
      v = view.current;
    const left = ((nodeStart(tree, focus) - v.x0) * c.clientWidth) / (v.x1 - v.x0);
    const x = Math.max(0, Math.min(c.clientWidth - 1, left + 8));
    const y = c.offsetTop + rowTop(tree.depth[focus], c.clientHeight) + ROW / 2;
    return tooltipStyle(x, y, box.current!.clientWidth, box.current!.clientHeight);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // The frame under the pointer changes as the graph moves; the old tooltip would be stale.
    setHover(null);
    if (e.key.startsWith('Arrow')) {
      e.preventDefault();
      moveFocus(e.key);
    } else if (e.key === '+' || e.key === '=') {
      zoomBy(1 / 1.5);
    } else if (e.key === '-' || e.key === '_') {
      zoomBy(1.5);
    } else if (e.key === 'Escape') {
      setFocus(-1);
      zoomTo(-1);
    } else if (e.key === 'Enter' && focus >= 0) {
      zoomTo(focus);
    }
  };

  const exportFile = props.exportAs?.file ?? `${baseName(profile.fileName)}-${orientation}`;
  /** The image's title: what it shows, and where it is zoomed. */
  const exportTitle = () =>
    (props.exportAs?.title ??
      `${visibleText(profile.fileName)} — ${orientation === 'icicle' ? 'icicle' : 'flame graph'}`) +
    (zoomed >= 0 ? ` — zoomed to ${pathTo(tree, zoomed).map(nameOf).join(' › ')}` : '');
  const exportLegend = (): ImageLegend =>
    props.legend ?? {
      keys: kindLegend.map(([kind, text]) => ({ color: legendColor(kind), text })),
      lines: [`total: ${props.formatWeight(props.grandTotal)}`],
    };
  const exportSvg = () => {
    const svg = flameSvg({
      profile,
      tree,
      starts: nodeStarts(tree),
      orientation,
      x0: view.current.x0,
      x1: view.current.x1,
      title: exportTitle(),
      legend: exportLegend(),
      formatWeight: props.formatWeight,
      grandTotal: props.grandTotal,
      nodeColor: props.nodeColor,
      details: props.tooltipLines,
      colors: { background: pageBackground(), text: palette.text, label: palette.label },
    });
    download(new Blob([svg], { type: 'image/svg+xml' }), `${exportFile}.svg`);
  };
  const exportPng = () => {
    const c = canvas.current;
    if (!c) return;
    // Cropped to the rows drawn, under the title and the key.
    const [near, far] = drawnRows.current;
    const edges = far < near ? [0, 0] : [rowTop(near, c.clientHeight), rowTop(far, c.clientHeight)];
    const from = Math.max(0, Math.min(...edges)),
      to = Math.min(c.clientHeight, Math.max(...edges) + ROW);
    const header = imageHeader(exportTitle(), exportLegend(), c.clientWidth);
    void graphPng(c, from, to, header, palette.text).then((png) => download(png, `${exportFile}.png`));
  };

  const crumbs = zoomed >= 0 ? pathTo(tree, zoomed) : [];
  const nameOf = (node: number) => displayName(profile, tree.frame[node]);
  const graphName = `${orientation === 'icicle' ? 'Icicle' : 'Flame graph'} of ${visibleText(profile.fileName)}`;
  const focusShown = keyboardFocus && focus >= 0 && focus < tree.count && !hover;

  return (
    <div
      class={`flame ${orientation}`}
      ref={box}
      data-testid={props.testId ?? 'flame'}
      tabIndex={0}
      aria-busy={partial}
      aria-label={`${graphName}: arrows move between frames, Enter zooms, Esc resets`}
      onKeyDown={partial ? undefined : onKeyDown}
      onBlur={(e) => !box.current!.contains(e.relatedTarget as Node | null) && setKeyboardFocus(false)}
    >
      <div class="flame-bar">
        <ZoomCrumbs
          path={crumbs}
          zoomed={zoomed >= 0}
          name={nameOf}
          title={(node) => visibleText(stringAt(profile.strings, profile.frames.label[tree.frame[node]]))}
          zoomTo={zoomTo}
        />
        <span class="crumb-tools">
          <button
            class="crumb"
            disabled={partial}
            onClick={exportSvg}
            title="Save what is in view as SVG (text stays text)"
          >
            SVG
          </button>
          <button class="crumb" disabled={partial} onClick={exportPng} title="Save what is in view as PNG">
            PNG
          </button>
        </span>
      </div>
      <canvas
        ref={canvas}
        role="img"
        aria-label={graphName}
        class="flame-canvas"
        {...(!partial && {
          onPointerDown,
          onPointerMove,
          onPointerUp,
          onPointerLeave: () => setHover(null),
          onWheel,
        })}
      />
      {partial && (
        <div
          class="more-rows"
          role="status"
          data-testid="flame-partial"
          style={{ top: `${canvas.current?.offsetTop ?? 0}px` }}
        >
          Drawing the whole tree: zoom and details in a moment…
        </div>
      )}
      {!partial && more.above > 0 && (
        <div class="more-rows" data-testid="more-above" style={{ top: `${canvas.current?.offsetTop ?? 0}px` }}>
          ▲ {more.above} more {more.above === 1 ? 'row' : 'rows'} above: drag down to see
        </div>
      )}
      {!partial && more.below > 0 && (
        <div class="more-rows below" data-testid="more-below">
          ▼ {more.below} more {more.below === 1 ? 'row' : 'rows'} below: drag up to see
        </div>
      )}
      <div class="focused-frame" aria-live="polite" data-testid="focused-frame">
        {focusShown && <Tooltip {...props} node={focus} style={focusTooltipStyle()} />}
      </div>
      {hover && (
        <Tooltip
          {...props}
          node={hover.node}
          style={tooltipStyle(hover.x, hover.y, box.current!.clientWidth, box.current!.clientHeight)}
        />
      )}
    </div>
  );
}

function Tooltip({
  profile,
  tree,
  node,
  style,
  formatWeight,
  grandTotal,
  tooltipLines,
}: Props & { node: number; style: Record<string, string> }) {
  const f = tree.frame[node];
  const file = stringAt(profile.strings, profile.frames.file[f]);
  const line = profile.frames.line[f];
  const pct = (w: number) => (grandTotal > 0 ? ` (${((100 * w) / grandTotal).toFixed(2)} %)` : '');
  // An estimated tree's self is the function's whole tottime only where it has one place.
  const stats = profile.treeIsEstimate && profile.pstats && f < profile.pstats.tt.length ? profile.pstats : null;
  const selfNote = !profile.treeIsEstimate
    ? ''
    : stats && tree.self[node] === stats.tt[f]
      ? ' · its whole tottime'
      : ' · estimated';
  return (
    <div class="tooltip" data-testid="tooltip" style={style}>
      <div class="tt-name">{displayName(profile, f)}</div>
      {file && file !== '~' && <div class="tt-file">{visibleText(line >= 0 ? `${file}:${line}` : file)}</div>}
      <div>
        total: {formatWeight(tree.total[node])}
        {pct(tree.total[node])}
        {profile.treeIsEstimate && ' · estimated'}
      </div>
      <div>
        self: {formatWeight(tree.self[node])}
        {pct(tree.self[node])}
        {selfNote}
      </div>
      {stats && (
        <div>
          pstats: tottime {formatWeight(stats.tt[f])}, cumtime {formatWeight(stats.ct[f])}
        </div>
      )}
      {tooltipLines?.(node).map((line) => (
        <div key={line}>{line}</div>
      ))}
    </div>
  );
}
