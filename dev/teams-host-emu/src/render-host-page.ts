import type { HostPageConfig } from './host-page-config';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The Teams-like frame around the tab: a meeting header, the stage, and the side panel or the settings dialog. */
export function renderHostPage(config: HostPageConfig): string {
  const width = config.width ?? (config.frameContext === 'sidePanel' ? 320 : undefined);
  const title = config.frameContext === 'settings' ? 'Add a tab: Jira backlog' : config.meetingId ? 'Meeting: Backlog grooming' : 'Team channel';
  // `<` escaped so the JSON cannot close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en" data-theme="${escapeHtml(config.theme)}">
<head>
<meta charset="utf-8">
<title>Teams host emulation – ${escapeHtml(config.user.name)}</title>
<style>
  :root { --bg:#f5f5f5; --chrome:#ebebeb; --panel:#ffffff; --fg:#242424; --muted:#616161; --brand:#5b5fc7; --line:#e0e0e0; }
  [data-theme=dark] { --bg:#1f1f1f; --chrome:#0a0a0a; --panel:#292929; --fg:#ffffff; --muted:#adadad; --brand:#7f85f5; --line:#3d3d3d; }
  [data-theme=contrast] { --bg:#000; --chrome:#000; --panel:#000; --fg:#fff; --muted:#fff; --brand:#ffff01; --line:#fff; }
  html, body { margin:0; height:100%; font:14px "Segoe UI", system-ui, sans-serif; background:var(--bg); color:var(--fg); }
  header { height:44px; display:flex; align-items:center; gap:12px; padding:0 16px; background:var(--chrome); border-bottom:1px solid var(--line); }
  header .title { font-weight:600; flex:1; }
  header .who { color:var(--muted); }
  main { position:absolute; top:45px; bottom:0; left:0; right:0; display:flex; }
  .stage { flex:1; display:flex; flex-direction:column; align-items:center; justify-content:center; color:var(--muted); min-width:0; }
  .stage:has(iframe) { align-items:stretch; justify-content:flex-start; }
  .stage-bar { display:flex; align-items:center; gap:12px; padding:6px 12px; background:var(--chrome); color:var(--fg); border-bottom:1px solid var(--line); }
  .stage-bar button { margin-left:auto; }
  .panel h2 { display:flex; align-items:center; gap:8px; }
  .panel h2 .share { margin-left:auto; padding:2px 10px; font-size:12px; }
  .panel { background:var(--panel); border-left:1px solid var(--line); display:flex; flex-direction:column; }
  .panel h2 { font-size:14px; margin:0; padding:10px 12px; border-bottom:1px solid var(--line); }
  iframe { border:0; flex:1; width:100%; background:transparent; }
  .dialog { margin:auto; width:min(720px, 94vw); height:min(560px, 88vh); background:var(--panel); border-radius:6px; box-shadow:0 8px 32px rgba(0,0,0,.3); display:flex; flex-direction:column; }
  .dialog h2 { margin:0; padding:16px 20px 8px; font-size:18px; }
  .dialog footer { display:flex; align-items:center; gap:8px; justify-content:flex-end; padding:12px 20px; border-top:1px solid var(--line); }
  .dialog footer #save-status { flex:1; color:var(--muted); overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
  button { font:inherit; padding:5px 16px; border-radius:4px; border:1px solid var(--line); background:var(--panel); color:var(--fg); cursor:pointer; }
  button.primary { background:var(--brand); border-color:var(--brand); color:#fff; }
  [data-theme=contrast] button.primary { color:#000; }
  button:disabled { opacity:.45; cursor:default; }
  #log { display:none; }
  body.task header { display:none; }
  body.task main { top:0; }
  body.task .panel { border-left:0; }
</style>
</head>
<body${config.frameContext === 'task' ? ' class="task"' : ''}>
<header>
  <span class="title">${escapeHtml(title)}</span>
  <span class="who">${escapeHtml(config.user.name)} · ${escapeHtml(config.frameContext)}</span>
  <label>Theme <select id="theme">
    <option value="default"${config.theme === 'default' ? ' selected' : ''}>Light</option>
    <option value="dark"${config.theme === 'dark' ? ' selected' : ''}>Dark</option>
    <option value="contrast"${config.theme === 'contrast' ? ' selected' : ''}>High contrast</option>
  </select></label>
</header>
<main>
${
  config.frameContext === 'settings'
    ? `<div class="dialog" role="dialog" aria-label="Tab settings">
  <h2>Jira backlog</h2>
  <iframe id="tab" title="Tab settings"></iframe>
  <footer><span id="save-status" role="status"></span><button id="cancel">Cancel</button><button id="save" class="primary" disabled>Save</button></footer>
</div>`
    : config.frameContext === 'sidePanel'
      ? `<div class="stage" id="stage" aria-label="Meeting stage">Meeting stage</div>
<aside class="panel" style="width:${width}px"><h2>Jira backlog${config.meetingId ? ' <button id="share-to-stage" class="share" title="Share to stage">Share to stage</button>' : ''}</h2><iframe id="tab" title="Jira backlog"></iframe></aside>`
      : config.frameContext === 'task'
        ? `<div class="panel" style="flex:1"><iframe id="tab" title="Dialog"></iframe></div>`
        : `<div class="panel" style="flex:1${width ? `;max-width:${width}px` : ''}"><iframe id="tab" title="Jira backlog"></iframe></div>`
}
</main>
<div id="log" aria-hidden="true"></div>
<script>window.teamsHostConfig = ${json};</script>
<script type="module" src="/_host/host-page.js"></script>
</body>
</html>`;
}
