// test:serial: bounds /healthz p95 during hostile requests; npm run test:unit runs it after the others, alone.
/**
 * Attacks through requests rather than frames (issue 10, "Signed requests can be replayed"), on a
 * real server: a backend value `..` in a URL template; a backend redirecting a flow's request to
 * another host; a `Host` header that the answer XML would copy. Each time the process lives, a
 * healthy call goes on, `/healthz` keeps answering, and the flow's secrets are in no output.
 * The replayed signed upgrade is in test/ops/signed-serve.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { hearPrompts, writeFixture, type Fixture } from '../support/e2e-harness.js';
import { upgradeStatus } from '../support/child-server.js';
import { assertResponsive, probeHealth } from '../support/health-probe.js';
import { OPS_FLOW, OPS_PROMPTS, opsServe, type OpsServing } from '../ops/support/ops-harness.js';

const BEARER = 'Bearer backend-secret-6502';

/** A loopback backend that answers by path and keeps what it saw. */
async function backend(routes: Record<string, (res: import('node:http').ServerResponse) => void>): Promise<{ url: string; seen: { url: string; headers: IncomingHttpHeaders }[]; close(): Promise<void> }> {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const route = routes[(req.url ?? '/').split('?')[0] ?? '/'];
    if (route) route(res);
    else res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('hostile values and hosts', () => {
  let fixture: Fixture;
  let s: OpsServing;
  let api: Awaited<ReturnType<typeof backend>>;
  let elsewhere: Awaited<ReturnType<typeof backend>>;

  before(async () => {
    elsewhere = await backend({ '/collect': (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"stolen":true}') });
    api = await backend({
      '/lookup': (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"acct":"42","sub":".."}'),
      '/accounts/balance': (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"balance":1000000}'),
      '/moved': (res) => void res.writeHead(302, { location: `${elsewhere.url}/collect` }).end(),
    });
    const flow = `ivr: 1
id: hostile
vars:
  api: "${api.url}"
  acct: ""
  sub: ""
onError: sorry
start: lookup
nodes:
  lookup:
    fetch:
      url: "{{ api }}/lookup"
      timeout: 500ms
      set: { acct: "response.body.acct", sub: "response.body.sub" }
    next: balance
  balance:
    fetch:
      url: "{{ api }}/accounts/{{ acct }}/{{ sub }}/balance"
      timeout: 500ms
    next: moved
    onError: moved
  moved:
    fetch:
      url: "{{ api }}/moved"
      headers: { authorization: "${BEARER}" }
      timeout: 500ms
    next: bye
  bye:
    end: { prompt: goodbye }
  sorry:
    end: { prompt: sorry, reason: error }
`;
    fixture = await writeFixture({ 'hostile.yaml': flow, 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
    s = await opsServe(fixture, { reload: false });
  });
  after(async () => {
    await s.close();
    await api.close();
    await elsewhere.close();
    await fixture.cleanup();
  });

  test('a backend value `..` cannot move a URL up the path, and a redirect to another host is not followed', async () => {
    const probe = probeHealth(s.base);
    const healthy = await s.call('ops');
    const c = await s.call('hostile', { callId: 'hostile-call' });
    await hearPrompts(c, 1);
    assert.equal((await c.closed).reason, 'error', 'the redirect answer (302) is a failure: onError');
    assert.deepEqual(api.seen.map((r) => r.url), ['/lookup', '/moved'], 'never /accounts/balance, never /accounts/42/../balance');
    assert.equal(elsewhere.seen.length, 0, 'the other host saw nothing: not the request, not its Authorization header');
    assertResponsive(await probe.stop(), 'during the hostile fetches');

    assert.deepEqual(await hearPrompts(healthy, 2), ['welcome', 'main_menu'], 'a healthy call beside it goes on');
    healthy.press('3');
    assert.equal((await healthy.closed).reason, 'completed');

    await s.ops.records.flush();
    const records = await readFile(s.recordsFile, 'utf8');
    const record = records.split('\n').find((l) => l.includes('hostile-call'));
    assert.match(record ?? '', /"status":302/, 'the record shows the redirect answer');
    for (const text of [s.logText(), records]) assert.ok(!text.includes('backend-secret'), 'the header value is in no output');
  });

  test('without --public-url, a Host that is not host[:port] gets 400 on /answer and on the upgrade; a valid one gets the XML', async () => {
    const get = (host: string, path = '/answer/ops'): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: s.port, path, headers: { host } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const probe = probeHealth(s.base);
    for (const host of ['evil.com/"><Stream>wss://evil.com', 'a b', 'user@evil.com', 'x.com:99999']) {
      const answer = await get(host);
      assert.equal(answer.status, 400, host);
      assert.ok(!answer.body.includes('evil'), 'nothing of the header is echoed');
    }
    const ok = await get('ivr.example.com:8443');
    assert.equal(ok.status, 200);
    assert.match(ok.body, /ws:\/\/ivr\.example\.com:8443\/stream\/ops/);
    assert.equal(await upgradeStatus(`ws://127.0.0.1:${s.port}/stream/ops`, { host: 'evil.com/x' }), 400);
    assertResponsive(await probe.stop(), 'during the bad Host requests');
  });
});
