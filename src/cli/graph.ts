import { existsSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/render-text.js';
import { checkFlows, givenFlows } from '../pipeline/check-flows.js';
import { buildFlowGraph, nodeKey, type FlowGraph } from '../graph/flow-graph.js';
import { renderDot } from '../graph/render-dot.js';
import { renderMermaid } from '../graph/render-mermaid.js';
import { heatOf } from '../graph/heat.js';
import type { FlowFigures } from '../report/report-data.js';
import { uncoveredKeys } from '../graph/uncovered-keys.js';
import type { GRAPH_OPTIONS } from '../options/command-options.js';
import type { OptionValues } from '../options/option-schema.js';
import type { CliIo, CommandResult } from './command.js';
import { UsageError } from './usage-error.js';

/**
 * `coverage`: the test files and folders of `--coverage [tests...]` (`[]`: those beside the
 * flows); `heat`: call records (a file or glob) whose traffic is drawn on the graph.
 */
export type GraphOptions = OptionValues<typeof GRAPH_OPTIONS>;

const RENDERERS = { mermaid: renderMermaid, dot: renderDot } as const satisfies Record<GraphOptions['format'], unknown>;

/** One drawn flow: the text, and how many of its items the tests never reached (with --coverage). */
export interface DrawnFlow {
  flow: string;
  text: string;
  uncovered?: number;
}

/**
 * `ivr graph <flow.yaml or folder...> [--format mermaid|dot] [--coverage [tests...]] [--heat <records>]`:
 * prints each flow as a Mermaid flowchart (default) or Graphviz DOT. With `--coverage` the flow
 * tests run (the given files or folders; by default the folders of the flows) and what no case
 * reached is drawn dashed red: the same items `ivr test --coverage` lists. With `--heat` the
 * figures of `ivr report` over the records are drawn on it: traffic on edges, drop-off on nodes.
 * Exit code: 0 drawn, 1 a flow has errors (printed as `ivr validate` does), 2 usage.
 *
 * @example
 *   ivr graph flows/support.yaml > support.mmd
 *   ivr graph flows/support.yaml --format dot --coverage | dot -Tsvg > support.svg
 *   ivr graph flows/support.yaml --heat calls.jsonl
 */
export async function run(args: readonly string[], options: GraphOptions, io: Pick<CliIo, 'cwd'> = { cwd: process.cwd() }): Promise<CommandResult> {
  if (args.length === 0) throw new UsageError('graph needs a flow file: ivr graph flows/support.yaml');
  const missing = [...args, ...(options.coverage ?? [])].filter((p) => !existsSync(p));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);

  let heat: Map<string, FlowFigures> | undefined;
  if (options.heat !== undefined) {
    const { report } = await import('./report.js');
    heat = new Map((await report([options.heat])).flows.map((f) => [f.id, f]));
  }
  const { drawn, diagnostics } = await drawFlows(args, options.format, options.coverage, heat);
  return {
    exitCode: hasErrors(diagnostics) ? 1 : 0,
    stdout: drawn.map((d) => d.text).join('\n'),
    stderr: diagnostics.map((d) => `${formatDiagnostic(d, io.cwd)}\n`).join(''),
  };
}

/** Draws the flows named by `paths` (a folder: every flow in it); flows with errors are reported, not drawn. */
export async function drawFlows(paths: readonly string[], format: keyof typeof RENDERERS, coverage?: readonly string[], heat?: ReadonlyMap<string, FlowFigures>): Promise<{ drawn: DrawnFlow[]; diagnostics: Diagnostic[] }> {
  // Subflows the named files call are loaded too; only the flows asked for are drawn.
  const { flows: wanted, errors: diagnostics } = givenFlows((await checkFlows(paths)).value, paths);
  if (hasErrors(diagnostics)) return { drawn: [], diagnostics };

  let covered: Map<string, Set<string>> | undefined;
  if (coverage !== undefined) {
    const { runTests } = await import('../testing/run-tests.js');
    const testPaths = coverage.length > 0 ? coverage : [...new Set(wanted.map((f) => f.dir))];
    const result = await runTests(testPaths, { coverage: true });
    diagnostics.push(...result.diagnostics.filter((d) => d.severity === 'error'));
    covered = new Map((result.coverage ?? []).map((c) => [c.flow, uncoveredKeys(c)]));
  }

  const drawn = wanted.map((f): DrawnFlow => {
    const graph = buildFlowGraph(f.doc, f.id);
    // A flow no test covers: everything is unreached.
    const uncovered = covered ? (covered.get(f.id) ?? allKeys(graph)) : undefined;
    const text = RENDERERS[format](graph, uncovered, heat && heatOf(graph, f.doc, heat.get(f.id)));
    return uncovered ? { flow: f.id, text, uncovered: uncovered.size } : { flow: f.id, text };
  });
  return { drawn, diagnostics };
}

function allKeys(graph: FlowGraph): Set<string> {
  return new Set([...graph.nodes.map((n) => nodeKey(n.id)), ...graph.edges.map((e) => e.key)]);
}
