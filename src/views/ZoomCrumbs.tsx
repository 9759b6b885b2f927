interface Props {
  /** The nodes from the root to the one zoomed into. */
  path: readonly number[];
  zoomed: boolean;
  /** A node's name on its crumb, and the whole of it as the crumb's title. */
  name(node: number): string;
  title(node: number): string;
  /** Zooms to a node, or out to the whole graph with -1. */
  zoomTo(node: number): void;
}

/** The path zoomed into, a crumb per node to zoom back out to: the flame graph's and the square map's. */
export function ZoomCrumbs({ path, zoomed, name, title, zoomTo }: Props) {
  return (
    <nav class="crumbs" aria-label="Zoom path" data-testid="crumbs">
      <button class="crumb" onClick={() => zoomTo(-1)} disabled={!zoomed}>
        all
      </button>
      {path.map((node) => (
        <button key={node} class="crumb" onClick={() => zoomTo(node)} title={title(node)}>
          {name(node)}
        </button>
      ))}
    </nav>
  );
}
