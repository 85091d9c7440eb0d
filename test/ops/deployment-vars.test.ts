import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveServeConfig } from '../support/serve-config.js';
import { keepDeploymentVars, typeDeploymentVars } from '../../src/ops/deployment-vars.js';
import type { LoadedFlow } from '../../src/flow/loaded-flow.js';
import type { LoadResult } from '../../src/ops/reload.js';
import type { ServingFlows } from '../../src/plivo/serving-flows.js';
import { loadServingFlows } from '../../src/plivo/serving-flows.js';
import { serveChild } from '../support/child-server.js';
import { billingApi, hearPrompts, writeFixture, type BillingApi, type Fixture } from '../support/e2e-harness.js';
import { PlivoClient, promptIndex } from '../support/plivo-client.js';
import { E2E_FLOW, E2E_PROMPTS } from '../e2e/fixture-flows.js';

function flows(types: Record<string, NonNullable<LoadedFlow['varTypes']>>): Map<string, { flow: LoadedFlow }> {
  return new Map(Object.entries(types).map(([id, varTypes]) => [id, { flow: { id, varTypes } as LoadedFlow }]));
}

describe('ivr serve --var: values typed by the flow’s declaration', () => {
  test('flow.name=value is read from each flag, the flow id may hold dots and the value = and dots', () => {
    const r = resolveServeConfig([], { var: ['support.billingApi=http://billing.internal:8080/a=b', 'my.flow.count=3'] }, {});
    assert.ok(r.ok);
    assert.deepEqual(r.config.varTexts, { support: { billingApi: 'http://billing.internal:8080/a=b' }, 'my.flow': { count: '3' } });
  });

  test('a --var without flow.name=value is a usage error naming the option', () => {
    const r = resolveServeConfig([], { var: ['billingApi=http://x'] }, {});
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /--var must be <flow id>\.<variable>=<value>, got "billingApi=…"/);
  });

  test('a malformed --var never prints its value (it may be a secret)', () => {
    const r = resolveServeConfig([], { var: ['token=sk_live_secret'] }, {});
    assert.equal(r.ok, false);
    assert.doesNotMatch(r.ok ? '' : r.message, /sk_live_secret/);
  });

  test('each value becomes the declared type: string, int, double, bool', () => {
    const typed = typeDeploymentVars(
      { support: { billingApi: 'http://b', retries: '3', threshold: '2.5', open: 'true' } },
      flows({ support: { billingApi: 'string', retries: 'int', threshold: 'double', open: 'bool' } }),
    );
    assert.deepEqual(typed, { vars: { support: { billingApi: 'http://b', retries: 3, threshold: 2.5, open: true } }, problems: [] });
  });

  test('an unknown flow or variable, or a value of the wrong type, is a problem that never quotes the value', () => {
    const typed = typeDeploymentVars(
      { suport: { x: '1' }, support: { billingAPI: 'u', retries: 'sekret-3' } },
      flows({ support: { billingApi: 'string', retries: 'int' } }),
    );
    assert.deepEqual(typed.problems, [
      '--var suport.…: there is no flow `suport` — did you mean `support`?',
      '--var support.billingAPI: flow `support` declares no variable `billingAPI` in its vars: — did you mean `billingApi`?',
      '--var support.retries: the flow declares it as a whole number (int); the value given is not one',
    ]);
    assert.ok(!typed.problems.join('\n').includes('sekret'));
  });

  test('a reload whose flows would read a --var differently is refused; the same types pass', () => {
    const texts = { support: { retries: '3' } };
    const started = typeDeploymentVars(texts, flows({ support: { retries: 'int' } })).vars;
    const reload = (types: Record<string, 'int' | 'string'>): LoadResult => ({
      value: { flows: flows({ support: types }) } as unknown as ServingFlows, diagnostics: [], flowCount: 1,
    });
    assert.equal(keepDeploymentVars(reload({ retries: 'int' }), texts, started).failure, undefined);
    assert.match(keepDeploymentVars(reload({ retries: 'string' }), texts, started).failure ?? '', /another type than the server started with/);
    assert.match(keepDeploymentVars(reload({}), texts, started).failure ?? '', /declares no variable `retries`/);
  });
});

describe('ivr serve --var on a real server', () => {
  let fixture: Fixture;
  let api: BillingApi;
  before(async () => {
    fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW }, E2E_PROMPTS);
    api = await billingApi({ '1234567': 42.5 });
  });
  after(async () => {
    await api.close();
    await fixture.cleanup();
  });

  test('a variable the flow does not declare: exit 2, one line, no records file', async () => {
    const records = join(fixture.dir, 'bad-var.jsonl');
    const child = serveChild([fixture.dir, '--port', '0', '--host', '127.0.0.1', '--records', records, '--var', 'e2e.billingAPI=http://x']);
    assert.equal(await child.exit, 2, child.output());
    assert.match(child.output(), /ivr serve: --var e2e\.billingAPI: flow `e2e` declares no variable `billingAPI` in its vars: — did you mean `billingApi`\?/);
    assert.equal(existsSync(records), false);
  });

  test('the flow fetches from the address the deployment gave', async () => {
    const child = serveChild([fixture.dir, '--port', '0', '--host', '127.0.0.1', '--no-reload', '--records', join(fixture.dir, 'calls.jsonl'), '--var', `e2e.billingApi=${api.url}`]);
    try {
      const port = await child.port;
      const loaded = await loadServingFlows([fixture.dir]);
      const serving = loaded.value!;
      const format = 'audio/x-mulaw;rate=8000';
      const c = await PlivoClient.connect({
        url: `ws://127.0.0.1:${port}/stream/e2e`, format,
        prompts: promptIndex(serving.prompts, [...serving.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), format),
      });
      await hearPrompts(c, 2); // welcome, main_menu
      c.press('1');
      await hearPrompts(c, 1); // enter_account
      c.press('1234567#');
      assert.deepEqual(await c.nextPrompt(), ['one_moment']);
      assert.deepEqual(await c.nextPrompt(), ['balance_is', 'number-40', 'digit-2', 'point', 'digit-5', 'dollars']);
      assert.ok(api.requests.includes('GET /accounts/1234567'), api.requests.join(', '));
      c.ws.close();
    } finally {
      child.signal('SIGTERM');
      await child.exit;
    }
  });
});
