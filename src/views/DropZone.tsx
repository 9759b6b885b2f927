import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { filesOfEntries, type PathFile } from '../set/dropped-folders';

interface Props {
  onFiles(files: File[]): void;
  /** What was dropped held a folder: every file under it, with its path. */
  onFolder(files: PathFile[]): void;
  children: ComponentChildren;
}

/** Makes the whole window a drop target for profile files and folders of them. */
export function DropZone({ onFiles, onFolder, children }: Props) {
  const [over, setOver] = useState(false);
  const handler = useRef({ onFiles, onFolder });
  handler.current = { onFiles, onFolder };
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overHandler = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setOver(false);
      // Entries are only to be had during the event.
      const entries = Array.from(e.dataTransfer?.items ?? [], (item) => item.webkitGetAsEntry?.() ?? null);
      if (entries.some((entry) => entry?.isDirectory)) {
        void filesOfEntries(entries.filter((entry) => entry !== null)).then((files) => handler.current.onFolder(files));
        return;
      }
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length) handler.current.onFiles(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return (
    <div class="app" data-testid="drop-zone">
      {children}
      {over && (
        <div class="drop-overlay">
          <p>Drop a profile to open it</p>
          <p class="muted">or two, to compare the newer with the older; or many, or a folder, to list and merge them</p>
        </div>
      )}
    </div>
  );
}
