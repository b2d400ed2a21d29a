import type { Theme } from '@fluentui/react-components';

/**
 * Puts the Fluent theme's tokens on the page as CSS variables, as FluentProvider does for its
 * subtree: the list is plain elements styled by styles.css, so its first render needs no Fluent
 * component at all. Fluent components (editors, forms) bring their own provider (fluent-island.tsx).
 */
export function applyTheme(theme: Theme, name: string): void {
  let style = document.getElementById('fluent-theme') as HTMLStyleElement | null;
  if (!style) {
    style = document.createElement('style');
    style.id = 'fluent-theme';
    document.head.append(style);
  }
  style.textContent = `:root{${Object.entries(theme)
    .map(([token, value]) => `--${token}:${String(value)};`)
    .join('')}}`;
  document.documentElement.dataset.theme = name;
}
