/**
 * The boxes of a flame graph drawn as pixels. All boxes of one depth share their top and height,
 * so each visible depth is drawn into one line of pixels (one `fill` per box), and the lines are
 * copied down the rows of the image and put on the canvas at once: a frame costs one canvas call
 * instead of one `fillStyle` and one `fillRect` per box, which a software rasterizer makes dear.
 */

/** A CSS colour as the 32-bit value of an RGBA pixel in this machine's byte order. */
export type PackedColor = number;

const packed = new Map<string, PackedColor>();
let probe: OffscreenCanvasRenderingContext2D | null = null;

const HSL = /^hsl\((\d+(?:\.\d+)?) (\d+(?:\.\d+)?)% (\d+(?:\.\d+)?)%\)$/;

/** `hsl(h s% l%)` as 0–255 red, green and blue (CSS Color 4's conversion), or null for any other text. */
function hslToRgb(css: string): [number, number, number] | null {
  const m = HSL.exec(css);
  if (!m) return null;
  const h = Number(m[1]) % 360,
    s = Number(m[2]) / 100,
    l = Number(m[3]) / 100;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/**
 * Packs a CSS colour: the `hsl()` colours of frames by arithmetic, any other colour the canvas
 * understands by painting one pixel of it, once.
 */
export function packColor(css: string): PackedColor {
  let p = packed.get(css);
  if (p === undefined) {
    const rgb = hslToRgb(css);
    if (rgb) {
      p = new Uint32Array(new Uint8ClampedArray([...rgb, 255]).buffer)[0];
      packed.set(css, p);
      return p;
    }
    probe ??= new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true })!;
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = css;
    probe.fillRect(0, 0, 1, 1);
    p = new Uint32Array(probe.getImageData(0, 0, 1, 1).data.buffer)[0];
    packed.set(css, p);
  }
  return p;
}

export class BoxRaster {
  private image: ImageData | null = null;
  private lines = new Uint32Array(0);
  private width = 0;
  private dpr = 1;
  private firstDepth = 0;
  private depths = 0;

  /**
   * Starts a frame of `width`×`height` device pixels showing depths `firstDepth` to `lastDepth`,
   * `dpr` device pixels to a CSS pixel.
   */
  begin(
    ctx: CanvasRenderingContext2D,
    width: number,
    height: number,
    dpr: number,
    firstDepth: number,
    lastDepth: number,
  ): void {
    if (!this.image || this.image.width !== width || this.image.height !== height)
      this.image = ctx.createImageData(width, height);
    this.width = width;
    this.dpr = dpr;
    this.firstDepth = firstDepth;
    this.depths = Math.max(0, lastDepth - firstDepth + 1);
    const size = this.depths * width;
    if (this.lines.length < size) this.lines = new Uint32Array(size);
    this.lines.fill(0, 0, size);
  }

  /** A box at `depth` from `left` to `right` (CSS pixels); at least one device pixel wide. */
  box(depth: number, left: number, right: number, color: PackedColor): void {
    const row = depth - this.firstDepth;
    if (row < 0 || row >= this.depths) return;
    const w = this.width;
    const x0 = Math.max(0, Math.round(left * this.dpr));
    const x1 = Math.min(w, Math.max(x0 + 1, Math.round(right * this.dpr)));
    if (x0 >= w) return;
    this.lines.fill(color, row * w + x0, row * w + x1);
  }

  /** Puts the frame on the canvas: the line of each depth over the rows from `top(depth)`, `boxHeight` CSS pixels high. */
  finish(ctx: CanvasRenderingContext2D, top: (depth: number) => number, boxHeight: number): void {
    const image = this.image!;
    const pixels = new Uint32Array(image.data.buffer);
    pixels.fill(0);
    const w = this.width,
      h = image.height;
    for (let row = 0; row < this.depths; row++) {
      const y = top(this.firstDepth + row) * this.dpr;
      const y0 = Math.max(0, Math.round(y)),
        y1 = Math.min(h, Math.round(y + boxHeight * this.dpr));
      if (y1 <= y0) continue;
      const line = this.lines.subarray(row * w, row * w + w);
      pixels.set(line, y0 * w);
      for (let k = y0 + 1; k < y1; k++) pixels.copyWithin(k * w, y0 * w, y0 * w + w);
    }
    ctx.putImageData(image, 0, 0);
  }
}
