/** Room a tooltip is given before it flips to the other side of the pointer. */
const ROOM_X = 360;
const ROOM_Y = 140;
const GAP = 14;

/** Places a tooltip beside the pointer, on whichever side keeps it inside its container. */
export function tooltipStyle(x: number, y: number, width: number, height: number): Record<string, string> {
  const style: Record<string, string> = {};
  if (x + ROOM_X > width && x > width / 2) style.right = `${width - x + GAP}px`;
  else style.left = `${x + GAP}px`;
  if (y + ROOM_Y > height && y > height / 2) style.bottom = `${height - y + GAP}px`;
  else style.top = `${y + GAP}px`;
  return style;
}
