import { useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

export interface MenuItem {
  id: string;
  text: ComponentChildren;
  disabled?: boolean;
}

interface Props {
  /** The button's text. */
  children: ComponentChildren;
  items: MenuItem[];
  onChoose(id: string): void;
  /** The accessible name of the button (and so of its menu), when its text is not enough. */
  label?: string;
  class?: string;
  title?: string;
}

let menus = 0;

/**
 * A button that opens a menu of actions (the ARIA menu-button pattern): Enter, Space or ↓ opens
 * it on its first item, ↑ on its last; the arrows, Home and End move; Enter or Space acts; Esc
 * closes it and gives the focus back to the button. Unlike a select, moving through it does nothing.
 */
export function MenuButton({ children, items, onChoose, label, title, class: className }: Props) {
  const [id] = useState(() => `menu-${++menus}`);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);

  const itemAt = (i: number) => list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[i];
  /** The item that takes the focus once the menu is shown; null while it is closed. */
  const showing = useRef<number | null>(null);
  const show = (first: number) => {
    setOpen(true);
    showing.current = first;
    // The items are in the page already, hidden: they take the focus once shown.
    requestAnimationFrame(() => {
      if (showing.current !== null) itemAt((showing.current + items.length) % items.length)?.focus();
    });
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    showing.current = null;
    if (refocus) button.current?.focus();
  };
  const choose = (item: MenuItem) => {
    if (item.disabled) return;
    close(true);
    onChoose(item.id);
  };

  const onButtonKey = (e: KeyboardEvent) => {
    // Keys pressed before the shown menu takes the focus move through it as they would there.
    const at = showing.current;
    if (e.key === 'ArrowDown') show(at === null ? 0 : at + 1);
    else if (e.key === 'Enter' || e.key === ' ') show(0);
    else if (e.key === 'ArrowUp') show(at === null ? -1 : at - 1);
    else return;
    e.preventDefault();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const at = items.findIndex((_, i) => itemAt(i) === document.activeElement);
    const move = (to: number) => itemAt((to + items.length) % items.length)?.focus();
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(-1);
    else if (e.key === 'Escape') close(true);
    else if ((e.key === 'Enter' || e.key === ' ') && at >= 0) choose(items[at]);
    else if (e.key === 'Tab') close(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <span
      class={`menu-button ${className ?? ''}`}
      onFocusOut={(e) => {
        const to = (e as FocusEvent).relatedTarget as Node | null;
        if (open && !(e.currentTarget as HTMLElement).contains(to)) close(false);
      }}
    >
      <button
        ref={button}
        id={`${id}-button`}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={id}
        aria-label={label}
        title={title}
        onClick={() => (open ? close(false) : show(0))}
        onKeyDown={onButtonKey}
      >
        {children}
      </button>
      <ul ref={list} id={id} role="menu" aria-labelledby={`${id}-button`} hidden={!open} onKeyDown={onMenuKey}>
        {items.map((item) => (
          <li
            key={item.id}
            role="menuitem"
            tabIndex={-1}
            aria-disabled={item.disabled || undefined}
            data-id={item.id}
            onClick={() => choose(item)}
          >
            {item.text}
          </li>
        ))}
      </ul>
    </span>
  );
}
