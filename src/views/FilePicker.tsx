import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

interface Props {
  onPick?(file: File): void;
  /** Takes every file picked: several, or (with `folder`) all those in the picked folder. */
  onPickAll?(files: File[]): void;
  folder?: boolean;
  testId: string;
  title?: string;
  primary?: boolean;
  children: ComponentChildren;
}

/** A button that opens the system's file dialog for one file, several, or a folder. */
export function FilePicker({ onPick, onPickAll, folder, testId, title, primary, children }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button class={primary ? 'primary' : ''} title={title} onClick={() => input.current!.click()}>
        {children}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        data-testid={testId}
        multiple={!!onPickAll}
        {...(folder && { webkitdirectory: true })}
        onChange={(e) => {
          const el = e.target as HTMLInputElement;
          const files = Array.from(el.files ?? []);
          if (onPickAll && files.length) onPickAll(files);
          else if (files[0]) onPick?.(files[0]);
          el.value = '';
        }}
      />
    </>
  );
}
