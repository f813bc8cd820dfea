/**
 * The HTML page that hosts a viewer: report.html and sweep.html (script and data inlined) and the
 * pages `hedgesim view` serves (script by address, data fetched). The viewer script comes before
 * the data and runs once the page is parsed, so that a truncated file still shows a message. Data
 * is JSON in a `<script type="application/json">` element with `<` escaped: no value can end it.
 */

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 20px 24px 60px; color: #1a1a1a; background: #fff; }
#app { max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; }
h3 { font-size: 14px; margin: 16px 0 4px; }
.run-facts, .hash, .note, .hint { color: #555; }
.hash { font: 12px ui-monospace, monospace; }
.chart { position: relative; margin: 4px 0 10px; }
.chart canvas, .chart svg { position: absolute; left: 0; top: 0; }
.chart svg .bands, .chart svg line, .chart svg text.axis-label { pointer-events: none; }
.axis text { font-size: 11px; fill: #333; }
.axis-label, .lane-label { font-size: 11px; fill: #444; }
.lane-note { font-size: 10px; font-style: italic; fill: #666; }
line.selected { stroke: #CC79A7; stroke-width: 2; }
line.fork { stroke: #333; stroke-width: 1.5; stroke-dasharray: 6 3; }
line.hover { stroke: #777; stroke-dasharray: 3 3; }
line.zero { stroke: #999; }
rect.marker { cursor: pointer; }
rect.zoom { cursor: crosshair; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 6px; margin: 4px 0; }
.legend-item { display: inline-flex; align-items: center; gap: 5px; font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid #bbb; border-radius: 12px; background: #fff; cursor: pointer; }
.legend-item[aria-pressed="false"] { opacity: 0.45; text-decoration: line-through; }
.legend-item:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible { outline: 2px solid #0072B2; outline-offset: 1px; }
.control { margin-right: 16px; font-size: 13px; }
select, input { font: inherit; margin-left: 4px; }
.block-nav { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 4px 0 8px; }
.block-nav button { font: inherit; padding: 2px 10px; }
.block-input { width: 8em; }
table { border-collapse: collapse; margin: 4px 0 12px; font-size: 13px; }
th, td { padding: 3px 9px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.transfer-kinds button[aria-pressed="true"] { font-weight: 600; }
th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
tbody.bundle { border-left: 4px solid #D55E00; }
tr.bundle-head th { font-weight: 600; color: #8a3b00; background: #fdf1e8; }
.tag { display: inline-block; white-space: nowrap; margin: 0 3px 2px 0; padding: 0 6px; border-radius: 8px; background: #eee; font-size: 12px; }
.tag[data-tag="sandwich-front"], .tag[data-tag="sandwich-back"] { background: #D55E00; color: #fff; }
.tag[data-tag="victim"] { background: #fff; color: #8a3b00; border: 1px solid #D55E00; }
.tag[data-tag="arbitrage"], .tag[data-tag="backrun"] { background: #0072B2; color: #fff; }
.tag[data-tag="rebalance"] { background: #009E73; color: #fff; }
.tag[data-tag="revert"] { background: #000; color: #fff; }
.tag[data-tag="adversary-push"], .tag[data-tag="adversary-reversal"] { background: #CC79A7; color: #fff; }
.tag[data-tag="target"] { background: #fff; color: #7a2d5c; border: 1px solid #CC79A7; }
.aims { display: inline-block; white-space: nowrap; font-size: 12px; color: #555; }
tr.clickable { cursor: pointer; }
tr.clickable:hover, tr.clickable:focus { background: #f3f6fb; }
.mev-controls { margin: 6px 0; font-size: 13px; }
td .change { display: block; white-space: nowrap; }
td.calls div { white-space: nowrap; }
.tooltip { position: absolute; z-index: 10; pointer-events: none; background: #fff; border: 1px solid #888; border-radius: 3px; padding: 4px 8px; font-size: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.2); max-width: 520px; }
.error { border: 2px solid #b00020; border-radius: 4px; padding: 8px 16px; color: #b00020; background: #fff5f6; }
.error h2 { margin-top: 4px; }
.loading { color: #555; }
rect.cell, rect.no-data { stroke: #fff; }
.ci-band { pointer-events: none; }
.y-scale { margin-left: 8px; }
.export-tools { display: flex; gap: 4px; margin: 2px 0 4px; }
.export-tools button { font: inherit; font-size: 11px; padding: 0 6px; border: 1px solid #bbb; border-radius: 3px; background: #fafafa; cursor: pointer; }
/* A wide table scrolls inside itself: the page never scrolls sideways. */
table { display: block; max-width: 100%; overflow-x: auto; }
.hash { overflow-wrap: anywhere; }
.tooltip { max-width: min(520px, 90vw); }
@media (max-width: 600px) {
  body { margin: 12px 10px 40px; }
  h1 { font-size: 18px; }
  .hint { display: none; }
}
`;

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON for a `<script type="application/json">` element: `<` escaped, so nothing can close it. */
export const scriptJson = (data: unknown): string => JSON.stringify(data).replace(/</g, '\\u003c');

export interface PageOptions {
  title: string;
  /** The viewer bundle's code (inlined) or its address. */
  script: { code: string } | { src: string };
  /** The element the viewer reads: its id and JSON text (from scriptJson). */
  data: { id: string; json: string };
  what: string;
}

export function htmlPage(o: PageOptions): string {
  const script = 'code' in o.script ? `<script>${o.script.code.replace(/<\/script/gi, '<\\/script')}</script>` : `<script src="${escapeHtml(o.script.src)}"></script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style>${CSS}</style>
</head>
<body>
<div id="app"><p class="loading">Loading the ${escapeHtml(o.what)}… If this message stays, the file is incomplete or JavaScript is off.</p></div>
${script}
<script type="application/json" id="${o.data.id}">${o.data.json}</script>
</body>
</html>
`;
}
