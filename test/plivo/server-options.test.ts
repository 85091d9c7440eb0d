/** The server's options resolved once: the edges a call reaches the world through default in resolveServerOptions. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PromptStore } from '../../src/audio/types.js';
import { silentLog } from '../../src/call/call-log.js';
import { realClock } from '../../src/call/clock.js';
import type { Fetcher } from '../../src/call/fetcher.js';
import { httpFetcher } from '../../src/call/http-fetcher.js';
import { SimClock } from '../../src/testing/sim-clock.js';
import { resolveServerOptions } from '../../src/plivo/server-options.js';

const flows = () => ({ flows: new Map(), prompts: {} as PromptStore, loadedAt: 0 });

describe('resolveServerOptions', () => {
  test('gives a server without them real HTTP fetches, the real clock and a silent log', () => {
    const options = resolveServerOptions({ flows });
    assert.equal(options.fetcher, httpFetcher);
    assert.equal(options.clock, realClock);
    assert.equal(options.log, silentLog);
  });

  test('keeps the ones given', () => {
    const fetcher: Fetcher = () => Promise.reject(new Error('offline'));
    const clock = new SimClock();
    const log = { ...silentLog };
    const options = resolveServerOptions({ flows, fetcher, clock, log });
    assert.equal(options.fetcher, fetcher);
    assert.equal(options.clock, clock);
    assert.equal(options.log, log);
  });
});
