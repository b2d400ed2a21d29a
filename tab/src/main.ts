import { boot } from './boot';
import './styles.css';

// Marks for the bench and for anyone profiling the panel (performance.getEntriesByType('mark')).
performance.mark('tab:script');
const params = new URLSearchParams(window.location.search);
const page = { view: params.get('view') ?? '', backlogId: params.get('backlog') ?? '' };
const booted = boot(page);
// The UI chunk downloads with the page (modulepreload) but runs only once the first requests are
// out: run earlier, it would hold up Teams' answers to the handshake for as long as it takes.
void booted.then(async (result) => (await import('./render-app')).renderApp(document.getElementById('root')!, page, result));
