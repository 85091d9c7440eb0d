import { ALL_FIGURES, FETCH_FIGURES as F, FLOW_FIGURES as W, INPUT_FIGURES as I, NODE_FIGURES as N, REPORT_FIGURES as R } from './definitions.js';
import { esc } from './html-escape.js';
import type { FlowFigures, ReportData } from './report-data.js';
import { pct, renderFlowSvg } from './render-svg.js';

/**
 * The report as one self-contained HTML page: no script, no style sheet, font or image from
 * anywhere (a Content-Security-Policy of `default-src 'none'` makes the browser refuse any), so
 * it opens offline and can be mailed. Per flow: the graph coloured by traffic, drop-off and
 * failures, the tables beside it; with `--by`, one column per version (or day), each figure that
 * differs from the column before highlighted, green when better, red when worse.
 */
export function renderReportHtml(report: ReportData): string {
  const byFlow = new Map<string, FlowFigures[]>();
  for (const f of report.flows) byFlow.set(f.id, [...(byFlow.get(f.id) ?? []), f]);
  const sections = [...byFlow.entries()].map(([id, groups]) => {
    const columns = groups.map((f, i) => column(f, groups[i - 1], report.by !== undefined));
    return `<section class="flow" data-flow="${esc(id)}"><h2>flow ${esc(id)}</h2>`
      + `<div class="${report.by ? 'columns' : 'single'}">${columns.join('')}</div></section>`;
  });
  // Code words in the definitions are written `so`; escaped first, so only <code> is markup.
  const legend = ALL_FIGURES.map((fig) => `<dt>${esc(fig.name)}</dt><dd><i>${esc(fig.of)}</i>: ${esc(fig.means).replace(/`([^`]+)`/g, '<code>$1</code>')}</dd>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>ivr report</title>
<style>${STYLE}</style></head>
<body><h1>ivr report</h1>
<p class="totals"><span data-figure="${R.records.name}">${R.records.name} <b>${report.records}</b></span> · <span data-figure="${R.skipped.name}">${R.skipped.name} <b>${report.skipped}</b></span>${report.by ? ` · by ${esc(report.by)}` : ''}</p>
<p class="key">Nodes: fill = drop-off (white none, red all callers hang up there); orange outline = menu or collect failures (thicker: more). Lines: width and colour = traffic, with the count. ${report.by ? 'Highlighted cells differ from the column to their left: green better, red worse, yellow changed; dashed nodes changed drop-off or failure rate.' : ''}</p>
${sections.length === 0 ? '<p>no call records</p>' : sections.join('\n')}
<details class="legend" open><summary>What each figure means</summary><dl>${legend}</dl></details>
</body></html>
`;
}

function column(f: FlowFigures, previous: FlowFigures | undefined, grouped: boolean): string {
  const heading = f.version !== undefined ? `version ${f.version}` : f.day !== undefined ? `day ${f.day}` : '';
  const group = f.version ?? f.day ?? '';
  const tables = [summaryTable(f, previous), nodesTable(f, previous), inputsTable(f, previous), fetchesTable(f, previous)].join('');
  return `<div class="column" data-group="${esc(group)}">${grouped ? `<h3>${esc(heading)}</h3>` : ''}`
    + `<div class="pair"><div class="graph-box">${renderFlowSvg(f, previous)}</div><div class="tables">${tables}</div></div></div>`;
}

/** Whether a higher value of a figure is better, worse, or neither. */
const DIRECTION: Record<string, 1 | -1> = {
  [W.containment.name]: 1, [W.contained.name]: 1,
  [N.dropOff.name]: -1, [N.hangups.name]: -1, [I.failureRate.name]: -1, [I.failed.name]: -1,
  [I.noInput.name]: -1, [I.noMatch.name]: -1, [F.p50Ms.name]: -1, [F.p95Ms.name]: -1,
};

/** A figure's cell; compared with the same figure of the column before when there is one. */
function cell(figure: string, value: number, before: number | undefined, shown = String(value)): string {
  if (before === undefined || before === value) return `<td data-figure="${esc(figure)}">${esc(shown)}</td>`;
  const direction = DIRECTION[figure];
  const mood = direction === undefined ? 'changed' : (value - before) * direction > 0 ? 'changed better' : 'changed worse';
  const delta = Math.round((value - before) * 1000) / 1000;
  return `<td data-figure="${esc(figure)}" class="${mood}">${esc(shown)} <small>(${delta > 0 ? '+' : ''}${delta})</small></td>`;
}

function countsText(map: Record<string, number>): string {
  const entries = Object.entries(map);
  return entries.length === 0 ? '–' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}

function summaryTable(f: FlowFigures, p: FlowFigures | undefined): string {
  const rows = [
    [W.calls.name, cell(W.calls.name, f.calls, p?.calls)],
    [W.contained.name, cell(W.contained.name, f.contained, p?.contained)],
    [W.containment.name, cell(W.containment.name, f.containment, p?.containment, `${f.containment} (${pct(f.containment)})`)],
    [`${W.durationMs.name} p50`, cell(W.durationMs.name, f.durationMs.p50, p?.durationMs.p50)],
    [`${W.durationMs.name} p90`, cell(W.durationMs.name, f.durationMs.p90, p?.durationMs.p90)],
    [`${W.durationMs.name} p99`, cell(W.durationMs.name, f.durationMs.p99, p?.durationMs.p99)],
    ...Object.entries(f.outcomes).map(([reason, n]) => [`${W.outcomes.name}: ${reason}`, cell(W.outcomes.name, n, p === undefined ? undefined : p.outcomes[reason] ?? 0)]),
  ];
  const body = rows.map(([name, td]) => `<tr><th scope="row">${esc(name!)}</th>${td}</tr>`).join('');
  return `<table class="summary"><caption>calls (versions ${esc(f.versions.join(', '))})</caption>${body}</table>`;
}

function nodesTable(f: FlowFigures, p: FlowFigures | undefined): string {
  const rows = Object.entries(f.nodes).map(([name, n]) => {
    const b = p?.nodes[name];
    const was = (k: 'entries' | 'calls' | 'hangups' | 'dropOff'): number | undefined => (p === undefined ? undefined : b?.[k] ?? 0);
    return `<tr data-node="${esc(name)}"><th scope="row">${esc(name)}</th>${cell(N.entries.name, n.entries, was('entries'))}${cell(N.calls.name, n.calls, was('calls'))}`
      + `${cell(N.hangups.name, n.hangups, was('hangups'))}${cell(N.dropOff.name, n.dropOff, was('dropOff'), pct(n.dropOff))}<td data-figure="${N.exits.name}">${esc(countsText(n.exits))}</td></tr>`;
  });
  return table('nodes', ['node', N.entries.name, N.calls.name, N.hangups.name, N.dropOff.name, N.exits.name], rows);
}

function inputsTable(f: FlowFigures, p: FlowFigures | undefined): string {
  const rows = Object.entries(f.inputs).map(([name, i]) => {
    const b = p?.inputs[name];
    const was = (k: 'attempts' | 'noInput' | 'noMatch' | 'failed' | 'failureRate'): number | undefined => (p === undefined ? undefined : b?.[k] ?? 0);
    return `<tr data-node="${esc(name)}"><th scope="row">${esc(name)}</th>${cell(I.attempts.name, i.attempts, was('attempts'))}${cell(I.noInput.name, i.noInput, was('noInput'))}`
      + `${cell(I.noMatch.name, i.noMatch, was('noMatch'))}${cell(I.failed.name, i.failed, was('failed'))}${cell(I.failureRate.name, i.failureRate, was('failureRate'), pct(i.failureRate))}`
      + `<td data-figure="${I.matches.name}">${esc(countsText(i.matches))}</td></tr>`;
  });
  return rows.length === 0 ? '' : table('inputs', ['menu or collect', I.attempts.name, I.noInput.name, I.noMatch.name, I.failed.name, I.failureRate.name, I.matches.name], rows);
}

function fetchesTable(f: FlowFigures, p: FlowFigures | undefined): string {
  const rows = Object.entries(f.fetches).map(([name, x]) => {
    const b = p?.fetches[name];
    return `<tr data-fetch="${esc(name)}"><th scope="row">${esc(name)}</th>${cell(F.count.name, x.count, p && (b?.count ?? 0))}`
      + `${cell(F.p50Ms.name, x.p50Ms, b?.p50Ms)}${cell(F.p95Ms.name, x.p95Ms, b?.p95Ms)}<td data-figure="${F.errors.name}">${esc(countsText(x.errors))}</td></tr>`;
  });
  return rows.length === 0 ? '' : table('fetches', ['fetch', F.count.name, F.p50Ms.name, F.p95Ms.name, F.errors.name], rows);
}

function table(kind: string, head: string[], rows: string[]): string {
  return `<table class="${kind}"><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { margin: 0 0 .3em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.5em; }
.key { color: #555; max-width: 70em; }
.single .pair { display: flex; gap: 1.5em; align-items: flex-start; flex-wrap: wrap; }
.columns { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(28em, 1fr); gap: 1.5em; overflow-x: auto; }
.columns .pair { display: flex; flex-direction: column; gap: 1em; }
.graph-box { overflow: auto; max-width: 100%; border: 1px solid #ddd; background: #fcfcfc; }
.graph text { font: 11px system-ui, sans-serif; fill: #222; }
.graph text.name { font-weight: bold; font-size: 12px; }
.graph text.count { font-size: 11px; fill: #124; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.graph .changed rect.diff { fill: none; stroke: #1a5fb4; stroke-width: 2; stroke-dasharray: 5 3; }
table { border-collapse: collapse; margin: 0 0 1em; }
caption { text-align: left; font-weight: bold; padding: .2em 0; }
th, td { border: 1px solid #ddd; padding: .2em .5em; text-align: left; vertical-align: top; }
td[data-figure] { font-variant-numeric: tabular-nums; }
td.changed { background: #fff3bf; } td.better { background: #d3f9d8; } td.worse { background: #ffe3e3; }
td small { color: #555; }
.legend dt { font-weight: bold; float: left; clear: left; width: 9em; } .legend dd { margin-left: 10em; }
`;
