import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { flowEdges, startNode } from '../../src/flow/flow-edges.js';
import type { FlowDoc } from '../../src/flow/types.js';
import { targetRefs } from '../../src/check/flow-walk.js';
import { buildFlowGraph } from '../../src/graph/flow-graph.js';

const doc = parse(`
ivr: 1
onFailure: sorry
global:
  "0": { goto: main, set: { back: "true" } }
nodes:
  main:
    menu:
      prompt: hello
      options: { "1": pay, "0": sorry }
      noInput: { then: sorry }
  pay:
    fetch: { url: "https://example.test/pay" }
    next: done
  sorry:
    play: sorry
    next: done
  done:
    end: { reason: paid }
`) as FlowDoc;

const summary = (d: FlowDoc) => flowEdges(d).map((e) => `${e.from ?? '(flow)'} -${e.key}-> ${e.to ?? '(end)'}${e.path ? ` @/${e.path.join('/')}` : ''}`);

describe('a flow\'s edges, listed once for the checks, the masking and the graph', () => {
  test('written edges carry the path of the name they give; defaults are implied edges without one', () => {
    assert.deepEqual(summary(doc), [
      '(flow) -onFailure:-> sorry @/onFailure',
      '(flow) -global:0-> main @/global/0/goto',
      // (object keys that look like numbers come in numeric order)
      'main -option:main:0-> sorry @/nodes/main/menu/options/0',
      'main -option:main:1-> pay @/nodes/main/menu/options/1',
      // the menu's own "0" shadows the global key: no global edge from main
      'main -noInput:main-> sorry @/nodes/main/menu/noInput/then',
      'main -noMatch:main-> sorry',
      'pay -next:pay-> done @/nodes/pay/next',
      'pay -onError:-> (end)',
      'sorry -next:sorry-> done @/nodes/sorry/next',
      'done -end:done-> (end)',
    ]);
    assert.equal(startNode(doc), 'main');
  });

  test('the checks see exactly the written edges, and the graph draws every edge a node has', () => {
    const written = flowEdges(doc).filter((e) => e.path !== undefined && e.to !== undefined);
    assert.deepEqual(targetRefs(doc).map((r) => `${r.from ?? ''} ${r.role} ${r.target} ${r.pointer}`), written.map((e) => `${e.from ?? ''} ${e.role} ${e.to} /${e.path!.join('/')}`));
    const graph = buildFlowGraph(doc, 'pay');
    assert.deepEqual(graph.edges.map((e) => e.key), flowEdges(doc).filter((e) => e.from !== undefined).map((e) => e.key));
    assert.deepEqual(graph.edges.find((e) => e.key === 'end:done'), { from: 'done', to: '(end)', label: 'paid', kind: 'end', key: 'end:done' });
  });

  test('a menu inherits the global keys it does not shadow, unless it says global: false', () => {
    const withGlobals = parse(`
ivr: 1
global: { "9": help }
nodes:
  a: { menu: { options: { "1": help } } }
  b: { menu: { options: { "1": help }, global: false } }
  help: { end: {} }
`) as FlowDoc;
    assert.deepEqual(flowEdges(withGlobals).filter((e) => e.kind === 'global').map((e) => `${e.from ?? '(flow)'}->${e.to}`), ['(flow)->help', 'a->help']);
  });
});

test('the start node of a flow without `start` is found once per flow, not once per caller', () => {
  // The compiler asks once per subflow node calling the flow: 4 000 callers of a 10 000-node flow listed 40 million names.
  let listings = 0;
  const nodes = new Proxy(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`n${i}`, { play: 'hello', next: 'n0' }])), {
    ownKeys: (target) => (listings++, Reflect.ownKeys(target)),
  });
  const doc = { ivr: 1, nodes } as unknown as FlowDoc;
  for (let i = 0; i < 100; i++) assert.equal(startNode(doc), 'n0');
  assert.equal(listings, 1);
  assert.equal(startNode({ ivr: 1, start: 'n5', nodes } as unknown as FlowDoc), 'n5');
});
