/**
 * Holds the Web Lock `name` for as long as this worker lives, and resolves once it is held. A
 * browser releases a context's locks however the context ends (closed, terminated, crashed, out
 * of memory), so the page, queued on the same lock, learns of the worker's end even when no error
 * event tells it.
 */
export function holdLifeline(name: string): Promise<void> {
  return new Promise((held) => {
    void navigator.locks.request(name, () => {
      held();
      return new Promise<never>(() => {});
    });
  });
}
