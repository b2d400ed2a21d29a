import { createRoot } from 'react-dom/client';
import { App } from './app';
import './styles.css';

const params = new URLSearchParams(window.location.search);
createRoot(document.getElementById('root')!).render(<App view={params.get('view') ?? ''} backlogId={params.get('backlog') ?? ''} />);
