import { FLOW_FIGURES, INPUT_FIGURES, NODE_FIGURES } from './definitions.js';
import { esc } from './html-escape.js';
import type { FlowFigures } from './report-data.js';
import { trafficGraph, type PlacedNode } from './traffic-graph.js';

const NODE_W = 180;
const NODE_H = 62;
const GAP_X = 30;
const GAP_Y = 70;
const PAD = 20;

/**
 * The flow graph as inline SVG, drawn by our own code (no script, no library, nothing fetched):
 * each node filled by its drop-off (white to red), outlined by its failure rate (orange, thicker
 * when higher), labelled with entries, hang-ups and failures; each transition as wide as its
 * traffic and labelled with its count. Every name is escaped; `<title>`s give full names.
 */
export function renderFlowSvg(f: FlowFigures, previous?: FlowFigures): string {
  const g = trafficGraph(f);
  const width = Math.max(1, g.widest) * (NODE_W + GAP_X) + 2 * PAD + 60;
  const height = Math.max(1, g.layers) * (NODE_H + GAP_Y) + 2 * PAD;
  const at = new Map<string, { x: number; y: number }>();
  const perLayer = new Map<number, number>();
  for (const n of g.nodes) perLayer.set(n.layer, Math.max(perLayer.get(n.layer) ?? 0, n.slot + 1));
  for (const n of g.nodes) {
    // Each layer centred in the picture.
    const offset = ((g.widest - (perLayer.get(n.layer) ?? 1)) * (NODE_W + GAP_X)) / 2;
    at.set(n.name, { x: PAD + offset + n.slot * (NODE_W + GAP_X), y: PAD + n.layer * (NODE_H + GAP_Y) });
  }
  const most = Math.max(1, ...g.edges.map((e) => e.count));
  const parts: string[] = [];
  for (const e of g.edges) {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    const w = 1 + (7 * e.count) / most;
    const share = f.calls === 0 ? 0 : e.count / f.calls;
    let path: string;
    let lx: number;
    let ly: number;
    if (e.from === e.to) {
      const x = a.x + NODE_W;
      const y = a.y + NODE_H / 2;
      path = `M${x},${y - 12} C${x + 45},${y - 30} ${x + 45},${y + 30} ${x},${y + 12}`;
      lx = x + 40;
      ly = y;
    } else if (e.back) {
      // Back to an earlier layer: around the right side of both nodes.
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x + NODE_W;
      const y2 = b.y + NODE_H / 2;
      const bend = Math.max(x1, x2) + 50;
      path = `M${x1},${y1} C${bend},${y1} ${bend},${y2} ${x2},${y2}`;
      lx = bend - 10;
      ly = (y1 + y2) / 2;
    } else {
      const x1 = a.x + NODE_W / 2;
      const y1 = a.y + NODE_H;
      const x2 = b.x + NODE_W / 2;
      const y2 = b.y;
      path = `M${x1},${y1} C${x1},${y1 + GAP_Y / 2} ${x2},${y2 - GAP_Y / 2} ${x2},${y2}`;
      lx = (x1 + x2) / 2;
      ly = (y1 + y2) / 2;
    }
    const title = `${e.from} → ${e.to}: ${e.count} (${pct(share)} of calls)`;
    parts.push(`<g class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}"><title>${esc(title)}</title>`
      + `<path d="${path}" stroke="${edgeColour(share)}" stroke-width="${w.toFixed(1)}" fill="none" marker-end="url(#arrow)"/>`
      + `<text x="${lx}" y="${ly}" class="count">${e.count}</text></g>`);
  }
  for (const n of g.nodes) parts.push(nodeSvg(n, at.get(n.name)!, previous && changeOf(n, previous)));
  const note = g.omitted > 0 ? `<text x="${PAD}" y="${height - 4}" class="note">${g.omitted} quieter nodes not drawn; the tables list every node</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(`flow ${f.id}`)}">`
    + '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>'
    + `${parts.join('')}${note}</svg>`;
}

/** How a node's drop-off and failure rate moved since `previous` (undefined: not noticeably). */
function changeOf(n: PlacedNode, previous: FlowFigures): string | undefined {
  const before = previous.nodes[n.name];
  if (!before) return 'new in this column';
  const parts: string[] = [];
  const dropOff = n.dropOff - before.dropOff;
  if (Math.abs(dropOff) >= 0.005) parts.push(`${NODE_FIGURES.dropOff.name} ${dropOff > 0 ? '+' : ''}${pct(dropOff)}`);
  const failure = (n.failureRate ?? 0) - (previous.inputs[n.name]?.failureRate ?? 0);
  if (Math.abs(failure) >= 0.005) parts.push(`${INPUT_FIGURES.failureRate.name} ${failure > 0 ? '+' : ''}${pct(failure)}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

function nodeSvg(n: PlacedNode, p: { x: number; y: number }, change?: string): string {
  const failing = n.failureRate !== undefined && n.failureRate > 0;
  const stroke = failing ? '#e07b00' : '#555';
  const strokeWidth = failing ? 1.5 + 5 * n.failureRate! : 1;
  const name = n.name.length > 26 ? `${n.name.slice(0, 25)}…` : n.name;
  const line2 = `${NODE_FIGURES.entries.name} ${n.entries} · ${FLOW_FIGURES.calls.name} ${n.calls}`;
  const line3 = `${NODE_FIGURES.hangups.name} ${n.hangups} (${pct(n.dropOff)})`
    + (n.failed !== undefined ? ` · ${INPUT_FIGURES.failed.name} ${n.failed} (${pct(n.failureRate ?? 0)})` : '');
  const title = `${n.name}\n${line2}\n${line3}${change ? `\nchanged: ${change}` : ''}`;
  const diff = change ? `<rect class="diff" x="${p.x - 4}" y="${p.y - 4}" width="${NODE_W + 8}" height="${NODE_H + 8}" rx="8"/>` : '';
  return `<g class="node${change ? ' changed' : ''}" data-node="${esc(n.name)}"><title>${esc(title)}</title>${diff}`
    + `<rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="${dropOffColour(n.dropOff)}" stroke="${stroke}" stroke-width="${strokeWidth.toFixed(1)}"/>`
    + `<text x="${p.x + 8}" y="${p.y + 18}" class="name">${esc(name)}</text>`
    + `<text x="${p.x + 8}" y="${p.y + 36}">${esc(line2)}</text>`
    + `<text x="${p.x + 8}" y="${p.y + 52}">${esc(line3)}</text></g>`;
}

/** White (no one hangs up here) to strong red (everyone who enters hangs up), as #rrggbb (Mermaid and DOT take it too). */
export function dropOffColour(rate: number): string {
  const r = Math.min(1, Math.max(0, rate));
  const channel = (to: number): string => Math.round(255 + (to - 255) * r).toString(16).padStart(2, '0');
  return `#${channel(235)}${channel(70)}${channel(70)}`;
}

/** Light to dark blue by the share of calls that took the transition. */
function edgeColour(share: number): string {
  return `hsl(215, 60%, ${Math.round(75 - 45 * Math.min(1, share))}%)`;
}

export function pct(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
