import { FluentProvider } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { teamsThemes } from './teams-themes';
import { useTeamsTheme } from './theme-context';

/** Fluent UI components in the Teams theme; only the lazily loaded parts of the tab use them. */
export function FluentIsland({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <FluentProvider theme={teamsThemes[useTeamsTheme()]} className={`island${className ? ` ${className}` : ''}`}>
      {children}
    </FluentProvider>
  );
}
