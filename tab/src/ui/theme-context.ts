import { createContext, useContext } from 'react';
import type { TeamsTheme } from '../teams/connect-teams';

export const ThemeContext = createContext<TeamsTheme>('default');

export const useTeamsTheme = () => useContext(ThemeContext);
