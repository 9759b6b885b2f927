/**
 * What the bench reads from a page, and the script that records it. The same script runs in both
 * viewers, so both are timed by one rule:
 *
 * - hand-off: the `change` event of a file input (seen first, in the capture phase);
 * - painted: the start of the first animation frame after the frame holding the first canvas draw
 *   call (2D `fillRect`, `fillText`, `drawImage`, `putImageData`; WebGL `drawArrays`,
 *   `drawElements`) on a canvas of at least 200×100 pixels since the hand-off; that frame has then
 *   been produced.
 */
export interface ProbeTimes {
  handoff: number;
  drawn: number;
  painted: number;
}

/** Runs in the page before its own scripts (`page.addInitScript`); must not refer to anything outside itself. */
export function installProbe(): void {
  const MIN_AREA = 200 * 100;
  const probe: ProbeTimes = { handoff: -1, drawn: -1, painted: -1 };
  Object.defineProperty(window, '__probe', { value: probe });

  document.addEventListener(
    'change',
    (e) => {
      const input = e.target;
      if (input instanceof HTMLInputElement && input.type === 'file' && input.files?.length) {
        probe.handoff = performance.now();
        probe.drawn = -1;
        probe.painted = -1;
      }
    },
    true,
  );

  let inFrame = 0;
  const requestFrame = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    requestFrame((t) => {
      inFrame++;
      try {
        callback(t);
      } finally {
        inFrame--;
      }
    });

  const drew = (canvas: unknown) => {
    if (probe.handoff < 0 || probe.drawn >= 0) return;
    if (!(canvas instanceof HTMLCanvasElement) || canvas.width * canvas.height < MIN_AREA) return;
    probe.drawn = performance.now();
    const painted = () => {
      probe.painted = performance.now();
    };
    // A draw inside a frame callback is shown by that frame; one outside it by the next frame.
    if (inFrame) requestFrame(painted);
    else requestFrame(() => requestFrame(painted));
  };
  const wrap = (proto: object, method: string) => {
    const original = (proto as Record<string, unknown>)[method];
    if (typeof original !== 'function') return;
    Object.defineProperty(proto, method, {
      configurable: true,
      writable: true,
      value: function (this: { canvas: unknown }, ...args: unknown[]) {
        drew(this.canvas);
        return original.apply(this, args);
      },
    });
  };
  for (const m of ['fillRect', 'fillText', 'drawImage', 'putImageData']) wrap(CanvasRenderingContext2D.prototype, m);
  for (const gl of [WebGLRenderingContext, WebGL2RenderingContext]) {
    for (const m of ['drawArrays', 'drawElements']) wrap(gl.prototype, m);
  }
}

/** The probe's times and the first of each performance mark named, all after the hand-off (ms since navigation). */
export function readProbe(markNames: string[]): ProbeTimes & { marks: Record<string, number> } {
  const probe = (window as unknown as { __probe: ProbeTimes }).__probe;
  const marks: Record<string, number> = {};
  for (const name of markNames) {
    const mark = performance.getEntriesByName(name, 'mark').find((m) => m.startTime >= probe.handoff);
    marks[name] = mark ? mark.startTime : -1;
  }
  return { ...probe, marks };
}
