/** The client's one HTML page; page/main.ts (served as /client.js) draws everything in it. */
export function renderClientPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Teams (local)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<div id="app" class="theme-light">Loading...</div>
<script type="module" src="/client.js"></script>
</body>
</html>`;
}

// Teams' own palette per theme, close enough to judge how cards look in each.
const CSS = `
* { box-sizing: border-box; }
body { margin: 0; font-family: "Segoe UI", system-ui, -apple-system, sans-serif; font-size: 14px; }
#app { display: grid; grid-template-columns: 260px 1fr; grid-template-rows: 48px 1fr; height: 100vh; background: var(--bg); color: var(--fg); }
.theme-light { --bg: #f5f5f5; --panel: #ffffff; --fg: #242424; --muted: #616161; --accent: #5b5fc7; --border: #e0e0e0; --bubble: #ffffff; --mine: #e8ebfa; --rail: #ebebeb; }
.theme-dark { --bg: #1f1f1f; --panel: #292929; --fg: #ffffff; --muted: #adadad; --accent: #7f85f5; --border: #3d3d3d; --bubble: #292929; --mine: #2f2f4a; --rail: #141414; }
.theme-contrast { --bg: #000000; --panel: #000000; --fg: #ffffff; --muted: #ffffff; --accent: #ffff01; --border: #ffffff; --bubble: #000000; --mine: #000000; --rail: #000000; }
header { grid-column: 1 / 3; display: flex; align-items: center; gap: 16px; padding: 0 16px; background: var(--accent); color: #fff; }
.theme-contrast header, .theme-contrast .compose .send, .theme-contrast .conv-title .side-panel { color: #000; }
header .title { font-weight: 600; flex: 1; }
header select { font: inherit; }
nav { background: var(--rail); border-right: 1px solid var(--border); overflow: auto; padding: 8px 0; }
nav .group { color: var(--muted); font-size: 12px; padding: 12px 16px 4px; text-transform: uppercase; }
nav button { display: block; width: 100%; text-align: left; border: 0; background: none; color: var(--fg); padding: 8px 16px; font: inherit; cursor: pointer; }
nav button.active { background: var(--panel); font-weight: 600; border-left: 3px solid var(--accent); }
main { display: flex; flex-direction: column; min-height: 0; }
.conv-title .end-meeting { float: right; font: inherit; font-size: 13px; background: #c4314b; color: #fff; border: 0; border-radius: 4px; padding: 4px 12px; margin-left: 8px; cursor: pointer; }
.conv-title .side-panel + .end-meeting { margin-right: 8px; }
.theme-contrast .conv-title .end-meeting { background: #fff; color: #000; }
.conv-title .side-panel { float: right; font: inherit; font-size: 13px; background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: 4px 12px; cursor: pointer; }
.conv-title { padding: 12px 20px; font-weight: 600; font-size: 16px; border-bottom: 1px solid var(--border); background: var(--panel); }
.messages { flex: 1; overflow: auto; padding: 16px 20px; display: flex; flex-direction: column; gap: 12px; }
.message { background: var(--bubble); border: 1px solid var(--border); border-radius: 6px; padding: 8px 12px; max-width: 720px; position: relative; }
.message.mine { background: var(--mine); align-self: flex-end; }
.message .meta { color: var(--muted); font-size: 12px; margin-bottom: 4px; display: flex; gap: 8px; }
.message .meta .author { font-weight: 600; color: var(--fg); }
.message .more { position: absolute; top: 4px; right: 6px; border: 0; background: none; color: var(--muted); cursor: pointer; font-size: 16px; }
.message .menu { position: absolute; top: 26px; right: 6px; background: var(--panel); border: 1px solid var(--border); border-radius: 4px; z-index: 5; box-shadow: 0 4px 12px rgba(0,0,0,.2); }
.message .menu button, .compose-tools button, .dialog button.plain { display: block; border: 0; background: none; color: var(--fg); padding: 8px 12px; font: inherit; cursor: pointer; text-align: left; width: 100%; }
.message .body p { margin: 0 0 4px; }
.message .body .mention { color: var(--accent); font-weight: 600; }
.message .body pre { background: var(--panel); border: 1px solid var(--border); padding: 6px 8px; border-radius: 4px; overflow: auto; margin: 4px 0; }
.message .body ul, .message .body ol { margin: 0 0 4px; padding-left: 22px; }
.message .deleted { color: var(--muted); font-style: italic; }
.message .notice { color: var(--muted); font-size: 12px; margin-top: 4px; }
.card { margin-top: 6px; max-width: 560px; border-radius: 4px; overflow: hidden; }
.thread { margin-left: 24px; display: flex; flex-direction: column; gap: 8px; border-left: 2px solid var(--border); padding-left: 12px; }
.reply-link { border: 0; background: none; color: var(--accent); cursor: pointer; font: inherit; padding: 4px 0; }
.compose { border-top: 1px solid var(--border); background: var(--panel); padding: 10px 20px; }
.compose .replying { color: var(--muted); font-size: 12px; margin-bottom: 4px; }
.compose .row { display: flex; gap: 8px; }
.compose textarea { flex: 1; font: inherit; padding: 8px; border: 1px solid var(--border); border-radius: 4px; background: var(--bg); color: var(--fg); resize: vertical; min-height: 40px; }
.compose .send, .dialog .primary { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: 0 16px; font: inherit; cursor: pointer; }
.compose-tools { display: flex; gap: 4px; margin-top: 6px; }
.compose-tools button { width: auto; border: 1px solid var(--border); border-radius: 4px; padding: 4px 10px; }
.preview { position: relative; margin-bottom: 6px; border: 1px dashed var(--border); padding: 4px; border-radius: 4px; }
.preview .remove { position: absolute; right: 4px; top: 4px; z-index: 2; }
.search { border: 1px solid var(--border); border-radius: 4px; padding: 8px; margin-bottom: 6px; max-height: 320px; overflow: auto; }
.search input { width: 100%; font: inherit; padding: 6px; margin-bottom: 6px; }
.search .result { border-bottom: 1px solid var(--border); padding: 6px; cursor: pointer; }
.search .result .sub { color: var(--muted); font-size: 12px; }
.overlay { position: fixed; inset: 0; background: rgba(0,0,0,.45); display: flex; align-items: center; justify-content: center; z-index: 20; }
.dialog { background: var(--panel); color: var(--fg); border-radius: 8px; width: 600px; max-height: 85vh; overflow: auto; padding: 16px 20px; border: 1px solid var(--border); }
.dialog h2 { margin: 0 0 12px; font-size: 18px; }
.dialog .close { float: right; width: auto; }
.dialog.url-dialog { width: auto; max-width: 94vw; }
.dialog.url-dialog iframe { display: block; border: 0; max-width: 100%; background: var(--panel); }
.dialog .preview-actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 12px; height: 32px; }
.dialog .secondary { background: none; color: var(--fg); border: 1px solid var(--border); border-radius: 4px; padding: 0 16px; font: inherit; cursor: pointer; }
.toast { position: fixed; bottom: 16px; left: 50%; transform: translateX(-50%); background: var(--fg); color: var(--bg); padding: 8px 16px; border-radius: 4px; z-index: 30; }
.error { color: #c4314b; font-size: 12px; margin-top: 4px; }
.ac-pushButton { cursor: pointer; font: inherit; font-weight: 600; padding: 4px 12px; border-radius: 4px; border: 1px solid var(--border); background: var(--panel); color: var(--fg); }
.ac-pushButton:hover { background: var(--bg); }
.ac-pushButton.style-positive { background: var(--accent); color: #fff; border-color: var(--accent); }
.theme-contrast .ac-pushButton.style-positive { color: #000; }
.ac-input { font: inherit; padding: 4px 6px; border: 1px solid var(--border); border-radius: 4px; background: var(--bg); color: var(--fg); }
`;
