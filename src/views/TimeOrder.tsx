import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Profile } from '~/core/model/profile';
import { canvasPalette, codeKind, frameColor } from '../flame/colors';
import { useTheme } from '../theme';
import type { TimeRange } from '~/core/analysis/time-range';
import { FAILED_NODE, FrameKind, frameKindOf } from '~/core/model/profile';
import { displayName, visibleText } from '../flame/names';
import { sampleRuns } from '../flame/sample-runs';
import { tooltipStyle } from '../flame/tooltip-position';
import { stringAt } from '~/core/model/string-pack';
import { IntervalLanes } from './IntervalLanes';

interface Props {
  profile: Profile;
  range: TimeRange | null;
  onRange(range: TimeRange | null): void;
  highlighted: Uint8Array | null;
  /** Frames matching the graph search, or null when there is none. */
  searchMatches: Uint8Array | null;
  showIdle: boolean;
  onSelect(frame: number): void;
}

const ROW = 16;
const AXIS = 22;
/** Within what canvases may hold at any pixel ratio. */
const MAX_CHART_PX = 16_000;

/**
 * Samples left to right in the order they were taken, root at the top, consecutive samples in the
 * same frame merged into one bar. Dragging selects a time range, which narrows the other views.
 */
export function TimeOrder({ profile, range, onRange, highlighted, searchMatches, showIdle, onSelect }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const runs = useMemo(() => sampleRuns(profile), [profile]);
  const theme = useTheme();
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const [hover, setHover] = useState<{ run: number; x: number; y: number } | null>(null);

  const span = runs.duration || 1;
  // The row each thread's or process's lane starts at: its root frame's.
  const laneStarts = useMemo(() => {
    const starts = new Set<number>();
    for (let r = 0; r < runs.count; r++)
      if (runs.frame[r] >= 0 && frameKindOf(profile.frames, runs.frame[r]) !== FrameKind.code)
        starts.add(runs.depth[r]);
    return [...starts];
  }, [runs, profile]);
  const scroller = useRef<HTMLDivElement>(null);
  const [below, setBelow] = useState(0);
  useEffect(() => {
    const el = scroller.current!;
    const count = () => setBelow(laneStarts.filter((d) => AXIS + d * ROW >= el.scrollTop + el.clientHeight).length);
    count();
    const observer = new ResizeObserver(count);
    observer.observe(el);
    el.addEventListener('scroll', count, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', count);
    };
  }, [laneStarts]);
  const nameOf = (f: number) => (f < 0 ? (f === FAILED_NODE ? '(failed)' : '(idle)') : displayName(profile, f));
  const toX = (t: number, width: number) => (t / span) * width;
  const toTime = (x: number, width: number) => Math.max(0, Math.min(span, (x / width) * span));

  useEffect(() => {
    const c = canvas.current!;
    const draw = () => {
      const dpr = window.devicePixelRatio || 1;
      const width = c.clientWidth,
        height = c.clientHeight;
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
      const ctx = c.getContext('2d')!;
      const palette = canvasPalette(theme);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.font = '10px ui-monospace, Menlo, Consolas, monospace';
      ctx.textBaseline = 'middle';
      drawAxis(ctx, width, span, palette.muted);
      for (let r = 0; r < runs.count; r++) {
        const x0 = toX(runs.start[r], width),
          x1 = toX(runs.end[r], width);
        if (x1 - x0 < 0.3) continue;
        const y = AXIS + runs.depth[r] * ROW;
        if (y > height) continue;
        const f = runs.frame[r];
        if (f < 0 && !showIdle) continue;
        const name = nameOf(f);
        ctx.fillStyle = searchMatches
          ? f >= 0 && searchMatches[f]
            ? palette.match
            : palette.dim
          : f < 0
            ? palette.tiny
            : frameColor(
                codeKind(stringAt(profile.strings, profile.frames.file[f]), name, frameKindOf(profile.frames, f)),
                name,
              );
        ctx.fillRect(x0, y, Math.max(x1 - x0 - 0.3, 0.3), ROW - 1);
        if (f >= 0 && highlighted?.[f]) {
          ctx.strokeStyle = palette.outline;
          ctx.lineWidth = 1.5;
          ctx.strokeRect(x0 + 0.75, y + 0.75, Math.max(x1 - x0 - 1.5, 0.5), ROW - 2.5);
        }
        const room = Math.floor((x1 - x0 - 4) / 6.1);
        if (room >= 3) {
          ctx.fillStyle = searchMatches
            ? f >= 0 && searchMatches[f]
              ? palette.matchLabel
              : palette.dimLabel
            : f < 0
              ? palette.text
              : palette.label;
          ctx.fillText(name.length > room ? name.slice(0, room - 1) + '…' : name, x0 + 2, y + ROW / 2);
        }
      }
      const shade = drag ?? range;
      if (shade) {
        const a = toX(Math.min(shade.from, shade.to), width),
          b = toX(Math.max(shade.from, shade.to), width);
        ctx.fillStyle = palette.shade;
        ctx.fillRect(a, 0, b - a, height);
        ctx.fillStyle = palette.shadeEdge;
        ctx.fillRect(a, 0, 1, height);
        ctx.fillRect(b - 1, 0, 1, height);
      }
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(c);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the names and colours are the profile's, which `runs` stands for
  }, [runs, drag, range, highlighted, searchMatches, showIdle, theme]);

  const local = (e: PointerEvent) => {
    const rect = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top, width: rect.width };
  };
  const runAt = (x: number, y: number, width: number) => {
    const depth = Math.floor((y - AXIS) / ROW);
    const t = toTime(x, width);
    for (let r = 0; r < runs.count; r++) if (runs.depth[r] === depth && runs.start[r] <= t && t < runs.end[r]) return r;
    return -1;
  };

  // Every lane drawn at full height: the chart scrolls when the threads' stacks are taller than the view.
  const chartHeight = Math.min(AXIS + runs.rows * ROW + 4, MAX_CHART_PX);
  return (
    <div class="time-order" data-testid="time-order">
      <div class="time-scroll" ref={scroller}>
        <canvas
          ref={canvas}
          class="flame-canvas"
          style={{ minHeight: `${chartHeight}px` }}
          onPointerDown={(e) => {
            const p = local(e);
            (e.target as HTMLElement).setPointerCapture(e.pointerId);
            setDrag({ from: toTime(p.x, p.width), to: toTime(p.x, p.width) });
          }}
          onPointerMove={(e) => {
            const p = local(e);
            if (drag) setDrag({ ...drag, to: toTime(p.x, p.width) });
            const r = runAt(p.x, p.y, p.width);
            setHover(r < 0 ? null : { run: r, x: p.x, y: p.y });
          }}
          onPointerUp={(e) => {
            const p = local(e);
            const d = drag;
            setDrag(null);
            if (!d) return;
            const a = Math.min(d.from, d.to),
              b = Math.max(d.from, d.to);
            if (toX(b, p.width) - toX(a, p.width) > 4) {
              onRange({ from: a, to: b });
            } else {
              const r = runAt(p.x, p.y, p.width);
              if (r >= 0 && runs.frame[r] >= 0) onSelect(runs.frame[r]);
            }
          }}
          onPointerLeave={() => setHover(null)}
        />
        {hover && (
          <div
            class="tooltip"
            data-testid="tooltip"
            style={tooltipStyle(hover.x, hover.y, canvas.current!.clientWidth, canvas.current!.clientHeight)}
          >
            <div class="tt-name">
              {runs.frame[hover.run] < 0
                ? nameOf(runs.frame[hover.run])
                : visibleText(stringAt(profile.strings, profile.frames.label[runs.frame[hover.run]]))}
            </div>
            <div>
              {(runs.start[hover.run] / 1e6).toFixed(3)} s – {(runs.end[hover.run] / 1e6).toFixed(3)} s (
              {runs.samples[hover.run]} sample{runs.samples[hover.run] === 1 ? '' : 's'})
            </div>
          </div>
        )}
      </div>
      {below > 0 && (
        <p class="muted time-more" data-testid="threads-below">
          {below} more {below === 1 ? 'thread' : 'threads'} below: scroll the chart to see {below === 1 ? 'it' : 'them'}
        </p>
      )}
      {profile.intervals && <IntervalLanes profile={profile} intervals={profile.intervals} span={span} />}
      <p class="muted time-help">Drag across the chart to narrow the other views to that time range.</p>
    </div>
  );
}

function drawAxis(ctx: CanvasRenderingContext2D, width: number, span: number, color: string): void {
  const seconds = span / 1e6;
  const steps = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];
  const step = steps.find((s) => (s / seconds) * width >= 70) ?? 1200;
  ctx.fillStyle = color;
  for (let t = 0; t <= seconds; t += step) {
    const x = (t / seconds) * width;
    ctx.fillRect(x, 0, 1, AXIS - 6);
    ctx.fillText(`${+t.toFixed(3)} s`, x + 3, 8);
  }
}
