import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchError } from '../../src/call/fetcher.js';
import { httpFetcher, MAX_REDIRECTS, MAX_RESPONSE_BYTES } from '../../src/call/http-fetcher.js';
import type { Fetcher } from '../../src/call/fetcher.js';
import { compileFlow } from '../../src/compile/compile-flow.js';
import type { Command, FetchRequest } from '../../src/compile/protocol.js';
import { flowSet, loadedFlow } from '../compile/harness.js';
import { scriptedCall } from './support/harness.js';
import { json, loopbackServer, until } from './support/http-server.js';

let api: Awaited<ReturnType<typeof loopbackServer>>;

before(async () => {
  api = await loopbackServer({
    '/accounts/1234567': (_req, res) => json(res, 200, { balance: 42.5 }),
    '/hang': () => {},
    '/hang-too': () => {},
    '/down': (_req, res) => json(res, 503, { error: 'maintenance' }),
    '/flaky': (_req, res, n) => (n === 1 ? json(res, 500, {}) : json(res, 200, { ok: true })),
    '/slow-then-ok': (_req, res, n) => void (n === 1 ? undefined : json(res, 200, { ok: n })),
    '/missing': (_req, res) => json(res, 404, { error: 'no such account' }),
    '/bad-json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"balance": 4'),
    '/text': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
    '/untyped-json': (_req, res) => void res.writeHead(200).end('{"n":1}'),
    '/empty': (_req, res) => void res.writeHead(204).end(),
    '/huge-declared': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(`"${'x'.repeat(MAX_RESPONSE_BYTES)}"`),
    '/huge-chunked': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'y'.repeat(64 * 1024);
      for (let i = 0; i <= MAX_RESPONSE_BYTES / chunk.length; i++) res.write(chunk);
      res.end();
    },
    '/echo': (req, res) => json(res, 201, { got: JSON.parse(req.body) as unknown, type: req.headers['content-type'], auth: req.headers.authorization }),
  });
});
after(() => api.close());

function request(path: string, extra: Partial<FetchRequest> = {}): FetchRequest {
  return { method: 'GET', url: api.url + path, headers: {}, timeoutMs: 5000, retries: 0, ...extra };
}

/**
 * A compiled flow whose first node fetches `req` (a literal URL, headers and body) and keeps
 * the answer's status, body and content type in variables; it ends `ok` or, through onError, `failed`.
 */
function fetchFlow(req: FetchRequest) {
  const doc = {
    ivr: 1,
    vars: { status: 0, body: null, type: '' },
    nodes: {
      lookup: {
        fetch: {
          url: req.url, method: req.method, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }),
          timeout: `${req.timeoutMs}ms`, retries: req.retries,
          set: { status: 'response.status', body: 'response.body', type: '"content-type" in response.headers ? response.headers["content-type"] : ""' },
        },
        next: 'ok',
        onError: 'failed',
      },
      ok: { end: { reason: 'ok' } },
      failed: { end: { reason: 'failed' } },
    },
  };
  const flow = loadedFlow(JSON.stringify(doc), 'fetching');
  return compileFlow(flow, flowSet(flow));
}

/** A call whose machine fetches at once; `outcome()` waits for the machine's `fetched` command. */
async function fetchOnce(req: FetchRequest, env?: Record<string, string>, fetcher: Fetcher = httpFetcher) {
  // The machine shows the URL masked (compile/sensitive.ts); the session keeps and logs that form only.
  const call = scriptedCall({}, { flow: fetchFlow(req), fetcher, env });
  const fetched = (): Extract<Command, { type: 'fetched' }> | undefined => call.commands.find((c) => c.type === 'fetched') as Extract<Command, { type: 'fetched' }> | undefined;
  const outcome = async () => {
    await until(() => fetched() !== undefined, 'the fetch result');
    const error = call.commands.find((c) => c.type === 'log' && c.level === 'error');
    return { fetched: fetched()!, vars: call.session.vars(), error: error?.type === 'log' ? error.message : undefined };
  };
  return { ...call, fetched, outcome };
}

describe('fetch', () => {
  test('a 2xx JSON answer reaches the machine with the parsed body', async () => {
    const { outcome, session } = await fetchOnce(request('/accounts/1234567'));
    const { fetched, vars } = await outcome();
    assert.equal(fetched.outcome, 'ok');
    assert.equal(fetched.requestId, 1);
    assert.equal(fetched.status, 200);
    assert.equal(vars.status, 200);
    assert.deepEqual(vars.body, { balance: 42.5 });
    assert.equal(vars.type, 'application/json');
    session.hangup();
    const [record] = (await session.done).fetches;
    assert.deepEqual({ ...record, ms: 0 }, { url: `${api.url}/accounts/1234567`, method: 'GET', outcome: 'ok', status: 200, ms: 0 });
  });

  test('a server that never answers times out on the call clock, and the request is aborted', async () => {
    const { outcome, clock, session } = await fetchOnce(request('/hang', { timeoutMs: 4000 }));
    await until(() => api.seen.some((r) => r.url === '/hang'), 'the request to arrive');
    clock.advance(3999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(api.aborted.includes('/hang'), false, 'not before the timeout');
    clock.advance(1);
    const { fetched } = await outcome();
    assert.equal(fetched.outcome, 'timeout');
    await until(() => api.aborted.includes('/hang'), 'the server to see the request dropped');
    assert.equal((await session.done).endReason, 'failed');
    assert.equal(clock.pending(), 0);
  });

  test('a 5xx answer fails with its status', async () => {
    const { fetched, error } = await (await fetchOnce(request('/down'))).outcome();
    assert.deepEqual({ requestId: fetched.requestId, outcome: fetched.outcome, status: fetched.status }, { requestId: 1, outcome: 'status', status: 503 });
    assert.equal(error, 'fetch failed: status 503: HTTP 503');
  });

  test('retries: a 500 then a 200 is a success after two requests', async () => {
    const before = api.seen.filter((r) => r.url === '/flaky').length;
    const { fetched } = await (await fetchOnce(request('/flaky', { retries: 1 }))).outcome();
    assert.equal(fetched.outcome, 'ok');
    assert.equal(fetched.attempts, 2);
    assert.equal(api.seen.filter((r) => r.url === '/flaky').length - before, 2);
  });

  test('retries: a timed-out attempt is retried, each attempt with its own timeout', async () => {
    const { outcome, clock } = await fetchOnce(request('/slow-then-ok', { retries: 2, timeoutMs: 1000 }));
    await until(() => api.seen.some((r) => r.url === '/slow-then-ok'), 'the first attempt');
    clock.advance(1000);
    const { fetched, vars } = await outcome();
    assert.equal(fetched.outcome, 'ok');
    assert.deepEqual(vars.body, { ok: 2 });
  });

  test('retries run out: the last failure is reported', async () => {
    const before = api.seen.filter((r) => r.url === '/down').length;
    const { fetched } = await (await fetchOnce(request('/down', { retries: 2 }))).outcome();
    assert.equal(fetched.status, 503);
    assert.equal(fetched.attempts, 3);
    assert.equal(api.seen.filter((r) => r.url === '/down').length - before, 3);
  });

  test('a 4xx answer is not retried', async () => {
    const before = api.seen.filter((r) => r.url === '/missing').length;
    const { fetched } = await (await fetchOnce(request('/missing', { retries: 3 }))).outcome();
    assert.equal(fetched.status, 404);
    assert.equal(api.seen.filter((r) => r.url === '/missing').length - before, 1);
  });

  test('malformed JSON with a JSON content type fails as invalid-json', async () => {
    const { fetched } = await (await fetchOnce(request('/bad-json', { retries: 2 }))).outcome();
    assert.equal(fetched.outcome, 'invalid-json');
    assert.equal(fetched.attempts, 1);
  });

  test('a refused connection fails as network', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { fetched, error } = await (await fetchOnce({ ...request(''), url: `http://127.0.0.1:${port}/x` })).outcome();
    assert.equal(fetched.outcome, 'network');
    assert.match(error ?? '', /ECONNREFUSED/);
  });

  test('POST sends the body as JSON; env values are masked in the summary and logs, headers never logged', async () => {
    const env = { API_TOKEN: 's3cr3t-token', ACCOUNT_KEY: 'k/1 2' };
    const { outcome, session, log } = await fetchOnce(
      request(`/echo?key=${encodeURIComponent(env.ACCOUNT_KEY)}&t=${env.API_TOKEN}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.API_TOKEN}` },
        body: { account: '1234567', n: 2 },
      }),
      env,
    );
    const { fetched, vars } = await outcome();
    assert.equal(fetched.outcome, 'ok');
    assert.deepEqual(vars.body, {
      got: { account: '1234567', n: 2 },
      type: 'application/json',
      auth: 'Bearer s3cr3t-token',
    });
    await session.done;
    const [record] = (await session.done).fetches;
    assert.equal(record?.url, `${api.url}/echo?key=***&t=***`);
    assert.equal(record?.status, 201);
    assert.ok(!log.text().includes('s3cr3t'), log.text());
    assert.ok(!log.text().includes('k%2F1'), log.text());
    assert.match(log.text(), /info fetch \{"requestId":1,"method":"POST","url":"http:\/\/127\.0\.0\.1:\d+\/echo\?key=\*\*\*&t=\*\*\*"\}/);
  });

  test('a fetch still in flight when the caller hangs up is cancelled: no answer reaches the machine, summary says cancelled', async () => {
    const { session, fetched, clock, commands } = await fetchOnce(request('/hang-too'));
    await until(() => api.seen.some((r) => r.url === '/hang-too'), 'the request to arrive');
    session.hangup();
    assert.equal(clock.pending(), 0);
    const summary = await session.done;
    assert.equal(summary.fetches[0]?.outcome, 'cancelled');
    await until(() => api.aborted.includes('/hang-too'), 'the request to be dropped');
    assert.equal(fetched(), undefined);
    assert.deepEqual(commands.filter((c) => c.type === 'node').map((c) => c.type === 'node' && c.node), ['lookup']);
  });

  test('a fetcher that ignores its abort signal still cannot hold the call past the timeout', async () => {
    let attempts = 0;
    const { outcome, clock } = await fetchOnce(request('/x', { timeoutMs: 2000, retries: 1 }), undefined, () => {
      attempts++;
      return new Promise(() => {});
    });
    await until(() => attempts === 1, 'the first attempt');
    clock.advance(2000);
    await until(() => attempts === 2, 'the second attempt');
    clock.advance(2000);
    const { fetched, error } = await outcome();
    assert.deepEqual({ outcome: fetched.outcome, attempts: fetched.attempts }, { outcome: 'timeout', attempts: 2 });
    assert.equal(error, 'fetch failed: timeout: no answer within 2000 ms');
  });
});

describe('httpFetcher', () => {
  const get = (path: string) => httpFetcher(request(path), new AbortController().signal);

  test('keeps a non-JSON body as text', async () => {
    assert.deepEqual((await get('/text')).body, 'hello');
  });

  test('parses JSON even without a content type', async () => {
    assert.deepEqual((await get('/untyped-json')).body, { n: 1 });
  });

  test('an empty body is null', async () => {
    const response = await get('/empty');
    assert.equal(response.status, 204);
    assert.equal(response.body, null);
  });

  test('a non-2xx answer resolves (the session decides what it means)', async () => {
    assert.equal((await get('/missing')).status, 404);
  });

  test('a body over the size limit is refused, by its content-length or while it streams', async () => {
    for (const path of ['/huge-declared', '/huge-chunked']) {
      await assert.rejects(get(path), (e: unknown) => e instanceof FetchError && e.kind === 'network' && /limit/.test(e.message));
    }
  });

  test('aborting the signal rejects', async () => {
    const controller = new AbortController();
    const pending = httpFetcher(request('/hang'), controller.signal);
    controller.abort();
    await assert.rejects(pending);
  });
});

describe('httpFetcher redirects', () => {
  test('follows a redirect on the same origin; a redirect to another origin is not followed: the 3xx is the answer', async () => {
    const other = await loopbackServer({ '/steal': (_req, res) => json(res, 200, { stolen: true }) });
    const home = await loopbackServer({
      '/moved': (_req, res) => void res.writeHead(302, { location: '/accounts/1234567' }).end(),
      '/away': (_req, res) => void res.writeHead(307, { location: `${other.url}/steal` }).end(),
      '/accounts/1234567': (_req, res) => json(res, 200, { balance: 42.5 }),
      '/loop': (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
    });
    try {
      const go = (path: string, extra: Partial<FetchRequest> = {}) =>
        httpFetcher({ method: 'GET', url: home.url + path, headers: { authorization: 'Bearer t' }, timeoutMs: 5000, retries: 0, ...extra }, new AbortController().signal);
      assert.deepEqual((await go('/moved')).body, { balance: 42.5 });
      const away = await go('/away', { method: 'POST', body: { pin: '1234' } });
      assert.equal(away.status, 307);
      assert.equal(other.seen.length, 0, 'the other host never saw the request, its headers or its body');
      assert.equal((await go('/loop')).status, 302, `a redirect loop stops after ${MAX_REDIRECTS} hops`);
      assert.equal(home.seen.filter((r) => r.url === '/loop').length, MAX_REDIRECTS + 1);
    } finally {
      await other.close();
      await home.close();
    }
  });
});
