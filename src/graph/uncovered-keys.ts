import type { FlowCoverage } from '../testing/coverage.js';

/**
 * The graph keys to draw as never reached: coverage items and graph nodes/edges share their ids
 * (`node:<name>`, `option:<node>:<key>`, `global:<key>` ...; see GraphEdge.key), so this is the
 * set of unreached item ids. Edges coverage does not count (`next:`, `case:`) are never marked.
 */
export function uncoveredKeys(coverage: FlowCoverage | undefined): Set<string> {
  return new Set((coverage?.items ?? []).filter((item) => !item.reached).map((item) => item.id));
}
