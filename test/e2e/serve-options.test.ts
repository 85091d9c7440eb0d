import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveServeConfig } from '../support/serve-config.js';

describe('ivr serve options', () => {
  test('defaults: flows/, port 8080 on 0.0.0.0, μ-law, flow main, ./recordings, 10 s start timeout, 64 KiB payloads', () => {
    assert.deepEqual(resolveServeConfig([], {}, {}), {
      ok: true,
      config: {
        paths: ['flows/'], port: 8080, host: '0.0.0.0', contentType: 'audio/x-mulaw;rate=8000', defaultFlow: 'main',
        recordings: './recordings', env: {}, startTimeoutMs: 10_000, maxPayload: 65_536, playbackGraceMs: 2000, logLevel: 'info',
        records: 'calls.jsonl', drainTimeoutMs: 30_000, reload: true, reloadTimeoutMs: 30_000, reloadMemoryMb: 512, maxFlowStates: 2000, rescanMs: 1000,
        maxCalls: 1000, maxFrameRate: 200, frameBurst: 1000, maxBufferedBytes: 1_048_576, workers: 0, varTexts: {}, ttsEnv: {}, ttsCache: '.ivr-cache/tts',
      },
    });
  });

  test('flags win over environment variables, which win over defaults', () => {
    const env = { IVR_PORT: '9000', IVR_HOST: '127.0.0.1', IVR_PUBLIC_URL: 'https://env.example.com', IVR_RECORDINGS: '/env/rec' };
    const fromEnv = resolveServeConfig(['my-flows'], {}, env);
    assert.ok(fromEnv.ok);
    assert.equal(fromEnv.config.port, 9000);
    assert.equal(fromEnv.config.host, '127.0.0.1');
    assert.equal(fromEnv.config.publicUrl, 'https://env.example.com');
    assert.equal(fromEnv.config.recordings, '/env/rec');
    assert.deepEqual(fromEnv.config.paths, ['my-flows']);
    const fromFlags = resolveServeConfig([], { port: '7000', host: '::1', publicUrl: 'https://flag.example.com', recordings: 'r' }, env);
    assert.ok(fromFlags.ok);
    assert.deepEqual([fromFlags.config.port, fromFlags.config.host, fromFlags.config.publicUrl, fromFlags.config.recordings], [7000, '::1', 'https://flag.example.com', 'r']);
  });

  test('durations and sizes are read in the flow language units', () => {
    const r = resolveServeConfig([], { startTimeout: '2s', playbackGrace: '500ms', maxPayload: '128k' }, {});
    assert.ok(r.ok);
    assert.deepEqual([r.config.startTimeoutMs, r.config.playbackGraceMs, r.config.maxPayload], [2000, 500, 131_072]);
  });

  test('--allow-env exposes only variables with the given prefixes', () => {
    const env = { BILLING_TOKEN: 't', BILLING_URL: 'u', SECRET: 's', PATH: '/bin' };
    const r = resolveServeConfig([], { allowEnv: ['BILLING_'] }, env);
    assert.ok(r.ok);
    assert.deepEqual(r.config.env, { BILLING_TOKEN: 't', BILLING_URL: 'u' });
  });

  test('bad values are usage errors naming each option', () => {
    const r = resolveServeConfig([], { port: 'http', contentType: 'audio/opus', startTimeout: 'soon', maxPayload: '12', allowEnv: [''] }, {});
    assert.equal(r.ok, false);
    const message = r.ok ? '' : r.message;
    for (const flag of ['--port', '--content-type', '--start-timeout', '--max-payload', '--allow-env']) assert.match(message, new RegExp(flag));
  });

  test('the reload budget and the rescan: durations and a size in MB, each bounded', () => {
    const r = resolveServeConfig([], { reloadTimeout: '5s', reloadMemory: '256', rescanInterval: '0' }, {});
    assert.ok(r.ok);
    assert.deepEqual([r.config.reloadTimeoutMs, r.config.reloadMemoryMb, r.config.rescanMs], [5000, 256, 0]);
    const bad = resolveServeConfig([], { reloadTimeout: '10ms', reloadMemory: '8', rescanInterval: 'often' }, {});
    const message = bad.ok ? '' : bad.message;
    for (const flag of ['--reload-timeout', '--reload-memory', '--rescan-interval']) assert.match(message, new RegExp(flag));
  });
});
