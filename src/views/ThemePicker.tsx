import { useState } from 'preact/hooks';
import { THEME_CHOICES, chooseTheme, themeChoice, type ThemeChoice } from '../theme';

const NAMES: Record<ThemeChoice, string> = { auto: 'Auto', light: 'Light', dark: 'Dark' };

/** Light or dark page, or the system's choice; remembered in this browser. */
export function ThemePicker() {
  const [choice, setChoice] = useState(themeChoice);
  return (
    <select
      class="theme-picker"
      data-testid="theme"
      aria-label="Colour scheme"
      title="Colour scheme: follow the system, or always light or dark"
      value={choice}
      onChange={(e) => {
        const next = (e.target as HTMLSelectElement).value as ThemeChoice;
        chooseTheme(next);
        setChoice(next);
      }}
    >
      {THEME_CHOICES.map((c) => (
        <option key={c} value={c}>
          {NAMES[c]}
        </option>
      ))}
    </select>
  );
}
