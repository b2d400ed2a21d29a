import { createRoot } from 'react-dom/client';
import { App } from './app';
import type { Boot, Page } from './boot';

export function renderApp(element: HTMLElement, page: Page, booted: Boot): void {
  performance.mark('tab:ui');
  createRoot(element).render(<App page={page} booted={booted} />);
}
