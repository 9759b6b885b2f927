import { useEffect, useState } from 'preact/hooks';

/** What the reader chose: follow the system's `prefers-color-scheme`, or one scheme always. */
export type ThemeChoice = 'auto' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: ThemeChoice[] = ['auto', 'light', 'dark'];
const STORAGE_KEY = 'kiln-theme';
const listeners = new Set<(theme: Theme) => void>();
let choice: ThemeChoice = 'auto';

function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const currentTheme = (): Theme => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
export const themeChoice = (): ThemeChoice => choice;

function apply(): void {
  const theme = choice === 'auto' ? systemTheme() : choice;
  if (document.documentElement.dataset.theme === theme) return;
  document.documentElement.dataset.theme = theme;
  for (const listener of listeners) listener(theme);
}

/** Reads the remembered choice and follows the system's scheme while the choice is `auto`. */
export function startTheme(): void {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage may be refused (private windows, policies): the choice then lasts as long as the page.
  }
  choice = THEME_CHOICES.includes(stored as ThemeChoice) ? (stored as ThemeChoice) : 'auto';
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', apply);
  apply();
}

export function chooseTheme(next: ThemeChoice): void {
  choice = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // As above: not remembered, still applied.
  }
  apply();
}

/** The scheme in use, for views that draw on canvas and must draw again when it changes. */
export function useTheme(): Theme {
  const [theme, setTheme] = useState(currentTheme);
  useEffect(() => {
    listeners.add(setTheme);
    setTheme(currentTheme());
    return () => void listeners.delete(setTheme);
  }, []);
  return theme;
}
