/**
 * When a flow's machine is built: at its first use (compile-flow.ts `compileFlow`), once, or all
 * at once by `buildMachines` (the in-thread loader, with no worker to try the set first) or
 * `checkMachinesBuild` (the reload worker: built and let go), so a compiler failure refuses a set
 * before any call could meet it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMachines, checkMachinesBuild, compileFlow } from '../../src/compile/index.js';
import type { FlowSet, LoadedFlow } from '../../src/flow/loaded-flow.js';
import type { FlowDoc } from '../../src/flow/types.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';

/** A flow the front end would never pass (a node that is not a map), so building its machine throws: the build is observable. */
function unbuildable(): { flow: LoadedFlow; set: FlowSet } {
  const flow: LoadedFlow = { id: 'broken', file: '/flows/broken.yaml', dir: '/flows', version: 'v1', diagnostics: [], doc: { ivr: 1, id: 'broken', nodes: { a: null } } as unknown as FlowDoc };
  return { flow, set: { flows: new Map([['broken', flow]]), diagnostics: [] } };
}

test('compileFlow builds the machine at its first read, not before, and then always gives the same machine', async () => {
  const { flow, set } = unbuildable();
  let listings = 0;
  // Building lists the nodes: counted, to see when a build runs.
  flow.doc.nodes = new Proxy(flow.doc.nodes, { ownKeys: (nodes) => (listings++, Reflect.ownKeys(nodes)) });
  const compiled = compileFlow(flow, set);
  assert.deepEqual([compiled.id, compiled.version, listings], ['broken', 'v1', 0], 'compiled without building');
  assert.throws(() => compiled.machine, TypeError);
  const tried = listings;
  assert.ok(tried > 0);
  // A build that failed is not run again (it would stall the serving thread at every call): its error, at once.
  assert.throws(() => compiled.machine, TypeError);
  assert.throws(() => compiled.sensitiveVars, TypeError);
  assert.throws(() => buildMachines([compiled]), TypeError);
  assert.equal(listings, tried, 'built once');

  const shipped = await loadFlows(['flows/verify-dob.yaml']);
  const dob = compileFlow(shipped.flows.get('verify-dob')!, shipped);
  const machine = dob.machine;
  assert.equal(dob.machine, machine, 'built once');
  assert.deepEqual(buildMachines([dob]), [machine]);
  assert.ok(dob.sensitiveVars.has('dob'), 'the sensitive variables come with the build: the date of birth');
});

test('checkMachinesBuild builds each machine and keeps none; a failure is thrown and kept as the first read keeps it', async () => {
  const shipped = await loadFlows(['flows/verify-dob.yaml']);
  const dob = compileFlow(shipped.flows.get('verify-dob')!, shipped);
  checkMachinesBuild([dob]);
  assert.equal(dob.built, false, 'checked, not kept');
  const machine = dob.machine;
  checkMachinesBuild([dob]);
  assert.equal(dob.machine, machine, 'a machine already built is the one kept');

  const { flow, set } = unbuildable();
  let listings = 0;
  flow.doc.nodes = new Proxy(flow.doc.nodes, { ownKeys: (nodes) => (listings++, Reflect.ownKeys(nodes)) });
  const broken = compileFlow(flow, set);
  assert.throws(() => checkMachinesBuild([broken]), TypeError);
  const tried = listings;
  assert.ok(tried > 0);
  assert.throws(() => broken.machine, TypeError);
  assert.throws(() => checkMachinesBuild([broken]), TypeError);
  assert.equal(listings, tried, 'the failed build is not run again');
});
