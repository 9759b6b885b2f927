const UNCHANGED = 'hsl(36 20% 90%)';

/**
 * Red for more than in the baseline, blue for less, deeper with the size of the change. The depth
 * grows with the square root of the change, so a regression of a few milliseconds beside a
 * speed-up of half a second still shows.
 */
export function diffColor(change: number, maxChange: number): string {
  const t = maxChange > 0 ? Math.sqrt(Math.min(1, Math.abs(change) / maxChange)) : 0;
  if (t < 0.03) return UNCHANGED;
  const light = 92 - 42 * t;
  return change >= 0 ? `hsl(4 78% ${light.toFixed(0)}%)` : `hsl(218 72% ${light.toFixed(0)}%)`;
}
