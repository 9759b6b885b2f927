/** The page's background colour, light or dark, for an exported image to be drawn on. */
export function pageBackground(): string {
  const background = getComputedStyle(document.documentElement).backgroundColor;
  return background === 'rgba(0, 0, 0, 0)' ? 'white' : background;
}
