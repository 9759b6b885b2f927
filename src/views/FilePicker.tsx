import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

interface Props {
  onPick(file: File): void;
  testId: string;
  title?: string;
  primary?: boolean;
  children: ComponentChildren;
}

/** A button that opens the system's file dialog for one file. */
export function FilePicker({ onPick, testId, title, primary, children }: Props) {
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
        onChange={(e) => {
          const el = e.target as HTMLInputElement;
          const file = el.files?.[0];
          if (file) onPick(file);
          el.value = '';
        }}
      />
    </>
  );
}
