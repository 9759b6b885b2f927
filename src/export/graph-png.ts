import { pageBackground } from './page-background';
import type { HeaderPart } from './image-header';

/**
 * A graph's canvas as a PNG: the rows `from`..`to` (CSS pixels) of it under the image's title and
 * key, on the page's background, light or dark, the header in `textColor`.
 */
export function graphPng(
  source: HTMLCanvasElement,
  from: number,
  to: number,
  header: { parts: HeaderPart[]; height: number },
  textColor: string,
): Promise<Blob> {
  const dpr = window.devicePixelRatio || 1;
  const image = new OffscreenCanvas(source.width, Math.round((header.height + Math.max(0, to - from) + 8) * dpr));
  const ctx = image.getContext('2d')!;
  // The canvas is transparent where nothing is drawn: the image gets the page's background.
  ctx.fillStyle = pageBackground();
  ctx.fillRect(0, 0, image.width, image.height);
  ctx.scale(dpr, dpr);
  for (const part of header.parts) {
    ctx.fillStyle = part.kind === 'swatch' ? part.color : textColor;
    if (part.kind === 'swatch') ctx.fillRect(part.x, part.y, part.size, part.size);
    else {
      ctx.font = `${part.size}px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace`;
      ctx.fillText(part.text, part.x, part.y);
    }
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  const sy = Math.round(from * dpr),
    sh = Math.round((to - from) * dpr);
  if (sh > 0) ctx.drawImage(source, 0, sy, source.width, sh, 0, Math.round(header.height * dpr), source.width, sh);
  return image.convertToBlob({ type: 'image/png' });
}
