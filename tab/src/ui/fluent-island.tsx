import { FluentProvider } from '@fluentui/react-components';
import type { ReactNode } from 'react';

/**
 * Fluent UI components; only the lazily loaded parts of the tab use them. No theme: the page already
 * has the Teams theme's tokens as CSS variables (vite.config.mts, app.tsx), which the components read.
 */
export function FluentIsland({ children, className }: { children: ReactNode; className?: string }) {
  return <FluentProvider className={`island${className ? ` ${className}` : ''}`}>{children}</FluentProvider>;
}
