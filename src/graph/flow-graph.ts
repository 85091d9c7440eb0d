import { nodeKind, promptItems, targetOf, type FlowDoc, type NodeKind, type PromptSpec } from '../flow/types.js';

/** A node of the picture: a flow node, labelled by its kind and what it plays. */
export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** First prompt name (or a short description of the prompt list). */
  prompt?: string;
}

/** Why the call can go from one node to another. `key` identifies it for coverage. */
export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  /**
   * Coverage key, the id `ivr test --coverage` gives the same item (src/testing/coverage.ts):
   * `option:<node>:<key>`, `match:<node>:<i>`, `global:<key>` (one key for every node's edge of
   * that global key), `noInput:<node>`, `noMatch:<node>`, `onError:<node>` or `onError:` (the
   * flow's handler). Edges coverage does not count: `next:<node>`, `case:<node>:<i>`, `end:<node>`.
   */
  key: string;
  kind: 'next' | 'option' | 'match' | 'global' | 'noInput' | 'noMatch' | 'onError' | 'case' | 'end';
}

export interface FlowGraph {
  id: string;
  start: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The coverage key of a node (`node:<name>`), as src/testing/coverage.ts names it. */
export function nodeKey(node: string): string {
  return `node:${node}`;
}

/** The end of the call, drawn as one terminal node. */
export const CALL_ENDS = '(end)';

function describePrompt(spec: PromptSpec | undefined): string | undefined {
  const items = promptItems(spec);
  if (items.length === 0) return undefined;
  const first = items[0]!;
  const name = typeof first === 'string' ? first : 'digits' in first ? 'digits' : 'number' in first ? 'number' : 'silence';
  return items.length > 1 ? `${name} +${items.length - 1}` : name;
}

/** The flow as nodes and labelled edges: what `ivr graph` draws and coverage counts. */
export function buildFlowGraph(doc: FlowDoc, fallbackId: string): FlowGraph {
  const names = Object.keys(doc.nodes);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const failureTarget = doc.onFailure ?? CALL_ENDS;
  const add = (from: string, to: string | undefined, label: string, kind: GraphEdge['kind'], key: string): void => {
    edges.push({ from, to: to ?? CALL_ENDS, label, kind, key });
  };

  for (const [id, node] of Object.entries(doc.nodes)) {
    const kind = nodeKind(node);
    const n: GraphNode = { id, kind };
    switch (kind) {
      case 'play':
        n.prompt = describePrompt((node as { play: PromptSpec }).play);
        add(id, node.next, 'next', 'next', `next:${id}`);
        break;
      case 'menu': {
        const menu = (node as { menu: import('../flow/types.js').MenuSpec }).menu;
        n.prompt = describePrompt(menu.prompt);
        for (const [key, target] of Object.entries(menu.options ?? {})) add(id, targetOf(target).goto, key, 'option', `option:${id}:${key}`);
        (menu.match ?? []).forEach((rule, i) => add(id, rule.goto, rule.pattern, 'match', `match:${id}:${i}`));
        if (menu.global !== false) {
          for (const [key, target] of Object.entries(doc.global ?? {})) {
            if (!(key in (menu.options ?? {}))) add(id, targetOf(target).goto, `${key} (global)`, 'global', `global:${key}`);
          }
        }
        add(id, menu.noInput?.then ?? failureTarget, 'no input', 'noInput', `noInput:${id}`);
        add(id, menu.noMatch?.then ?? failureTarget, 'no match', 'noMatch', `noMatch:${id}`);
        break;
      }
      case 'collect': {
        const collect = (node as { collect: import('../flow/types.js').CollectSpec }).collect;
        n.prompt = describePrompt(collect.prompt);
        add(id, node.next, `into ${collect.into}`, 'next', `next:${id}`);
        if (collect.global !== false) {
          for (const [key, target] of Object.entries(doc.global ?? {})) add(id, targetOf(target).goto, `${key} (global)`, 'global', `global:${key}`);
        }
        add(id, collect.noInput?.then ?? failureTarget, 'no input', 'noInput', `noInput:${id}`);
        add(id, collect.noMatch?.then ?? failureTarget, 'no match', 'noMatch', `noMatch:${id}`);
        break;
      }
      case 'branch':
        (node as { branch: import('../flow/types.js').BranchCase[] }).branch.forEach((c, i) =>
          add(id, c.goto, c.if ?? 'else', 'case', `case:${id}:${i}`));
        break;
      case 'split':
        (node as { split: import('../flow/types.js').SplitCase[] }).split.forEach((c, i) =>
          add(id, c.goto, c.percent === undefined ? 'rest' : `${c.percent}%`, 'case', `case:${id}:${i}`));
        break;
      case 'set':
      case 'record':
        add(id, node.next, 'next', 'next', `next:${id}`);
        break;
      case 'subflow':
        add(id, node.next, `after ${(node as { subflow: { flow: string } }).subflow.flow}`, 'next', `next:${id}`);
        break;
      case 'fetch':
        n.prompt = describePrompt((node as { fetch: { prompt?: PromptSpec } }).fetch.prompt);
        add(id, node.next, 'ok', 'next', `next:${id}`);
        break;
      case 'transfer':
        n.prompt = describePrompt((node as { transfer: { prompt?: PromptSpec } }).transfer.prompt);
        add(id, node.next, node.next ? 'after DTMF' : 'transferred', node.next ? 'next' : 'end', `next:${id}`);
        break;
      case 'end':
      case 'return': {
        const end = (node as { end?: { prompt?: PromptSpec; reason?: string } | null }).end;
        n.prompt = describePrompt(end?.prompt ?? undefined);
        add(id, CALL_ENDS, kind === 'return' ? 'return' : end?.reason ?? 'completed', 'end', `end:${id}`);
        break;
      }
    }
    if (kind === 'fetch' || kind === 'record' || node.onError !== undefined) {
      const onError = node.onError ?? doc.onError;
      add(id, onError, 'error', 'onError', node.onError !== undefined ? `onError:${id}` : 'onError:');
    }
    nodes.push(n);
  }
  return { id: doc.id ?? fallbackId, start: doc.start ?? names[0] ?? CALL_ENDS, nodes, edges };
}
