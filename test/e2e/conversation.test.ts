// test:serial: asserts real-time intervals between the frames a served call sends (a playback grace, a no-input timeout); npm run test:unit runs it after the others, alone.
/**
 * Calls over real sockets against the real front end, compiler, call session and server: what the
 * caller hears and what Plivo is asked to do, frame by frame.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { E2E_FLOW, E2E_PROMPTS } from './fixture-flows.js';
import { billingApi, eventually, hearPrompts, serve, writeFixture, type Fixture, type Serving } from '../support/e2e-harness.js';

describe('a call, end to end', () => {
  let fixture: Fixture;
  let s: Serving;

  before(async () => {
    fixture = await writeFixture({ 'e2e.yaml': E2E_FLOW }, E2E_PROMPTS);
    s = await serve([fixture.dir]);
  });
  after(async () => {
    await s.close();
    await fixture.cleanup();
  });

  test('greets, then plays the menu once the greeting has played', async () => {
    const c = await s.call('e2e');
    assert.deepEqual(await c.nextPrompt(), ['welcome']);
    assert.deepEqual(c.eventsSince(), [], 'nothing more until the greeting is acknowledged');
    c.ackAll();
    assert.deepEqual(await c.nextPrompt(), ['main_menu']);
    c.hangup();
  });

  test('a menu choice leads to its node', async () => {
    const c = await s.call('e2e');
    await hearPrompts(c, 2); // welcome, main_menu
    c.press('2');
    assert.deepEqual(await c.nextPrompt(), ['directory_prompt']);
    c.hangup();
  });

  test('barge-in: a key during the menu prompt clears the audio before the next prompt is sent', async () => {
    const c = await s.call('e2e');
    await hearPrompts(c, 1);
    assert.deepEqual(await c.nextPrompt(), ['main_menu']);
    const from = c.cursor;
    c.press('1'); // main_menu is still "playing": not acknowledged
    assert.deepEqual(await c.nextPrompt(), ['enter_account']);
    const events = c.eventsSince(from);
    assert.equal(events.filter((e) => e === 'clearAudio').length, 1, 'clearAudio sent once');
    assert.ok(events.indexOf('clearAudio') < events.indexOf('playAudio'), `clearAudio before the next audio: ${events.join(', ')}`);
    c.hangup();
  });

  test('typeahead: a key during the greeting skips it and decides the menu without playing its prompt', async () => {
    const c = await s.call('e2e');
    assert.deepEqual(await c.nextPrompt(), ['welcome']);
    c.press('2');
    await c.next((f) => f.event === 'clearAudio');
    const prompts = await c.nextPrompt();
    assert.deepEqual(prompts, ['directory_prompt'], 'main_menu never played');
    assert.ok(!c.promptsSince(0).includes('main_menu'));
    c.hangup();
  });

  test('no input: re-prompts with the handler prompt and the reprompt, counting, then goes to then', async () => {
    const c = await s.call('e2e');
    await hearPrompts(c, 2); // welcome, main_menu; the 400 ms timeout starts once main_menu has played
    assert.deepEqual(await hearPrompts(c, 2), ['no_input', 'main_menu_short']);
    assert.deepEqual(await hearPrompts(c, 2), ['no_input', 'main_menu_short']);
    // The third silence reaches max 3: no handler prompt, straight to `then: goodbye`.
    assert.deepEqual(await hearPrompts(c, 1), ['goodbye']);
    assert.deepEqual(await c.closed, { code: 1000, reason: 'completed' });
  });

  test('no match: an unknown key plays the no-match prompt and the reprompt, and the menu still works', async () => {
    const c = await s.call('e2e');
    await hearPrompts(c, 2);
    c.press('7');
    assert.deepEqual(await hearPrompts(c, 2), ['invalid', 'main_menu_short']);
    c.press('7');
    assert.deepEqual(await hearPrompts(c, 2), ['invalid', 'main_menu_short']);
    c.press('2');
    assert.deepEqual(await c.nextPrompt(), ['directory_prompt']);
    c.hangup();
  });

  test('collect: too few digits with the terminator is a no-match; an inter-digit pause ends a good entry', async () => {
    const api = await billingApi({ '123456': 7 });
    const s2 = await serve([fixture.dir], { vars: { e2e: { billingApi: api.url } } });
    try {
      const c = await s2.call('e2e');
      await hearPrompts(c, 2);
      c.press('1');
      await hearPrompts(c, 1); // enter_account
      c.press('12#'); // min 4
      assert.deepEqual(await hearPrompts(c, 2), ['invalid', 'enter_account']);
      c.press('123456'); // no terminator: the 250 ms inter-digit timeout ends it
      assert.deepEqual(await c.nextPrompt(), ['one_moment']);
      await eventually(() => api.requests.length === 1, 'the fetch happened');
      assert.deepEqual(api.requests, ['GET /accounts/123456']);
      c.hangup();
    } finally {
      await s2.close();
      await api.close();
    }
  });

  test('a multi-digit menu: an exact option with the terminator, and a match pattern setting a variable', async () => {
    const c = await s.call('e2e');
    await hearPrompts(c, 2);
    c.press('2');
    await hearPrompts(c, 1); // directory_prompt
    c.press('2345'); // maxDigits 4, matches ^2[0-9]{3}$ -> ext = 2345
    assert.deepEqual(await c.nextPrompt(), ['transferring']);
    c.ackAll();
    const dtmf = await c.next((f) => f.event === 'sendDTMF');
    assert.deepEqual(dtmf.json, { event: 'sendDTMF', dtmf: '*22345#' });
    assert.deepEqual(await c.closed, { code: 1000, reason: 'transferred' });

    const d = await s.call('e2e');
    await hearPrompts(d, 2);
    d.press('2');
    await hearPrompts(d, 1);
    d.press('11#');
    assert.deepEqual(await d.nextPrompt(), ['sales']);
    d.hangup();
  });

  test('transfer by the global key: the rendered digits are sent once the prompt has played, then the call ends', async () => {
    const c = await s.call('e2e');
    await hearPrompts(c, 2);
    c.press('0');
    assert.deepEqual(await c.nextPrompt(), ['transferring']);
    assert.equal(c.frames.some((f) => f.event === 'sendDTMF'), false, 'not before the prompt has played');
    c.ackAll();
    const dtmf = await c.next((f) => f.event === 'sendDTMF');
    assert.deepEqual(dtmf.json, { event: 'sendDTMF', dtmf: '*2123#' });
    // next: done -> end {} : close 1000 with the default reason.
    assert.deepEqual(await c.closed, { code: 1000, reason: 'completed' });
  });

  test('the caller hanging up mid-prompt ends the session; the server counts it and keeps serving', async () => {
    const before = s.server.stats().calls.endedBy.hangup ?? 0;
    const c = await s.call('e2e');
    await c.next((f) => f.event === 'playAudio');
    c.hangup();
    await c.closed;
    await eventually(() => (s.server.stats().calls.endedBy.hangup ?? 0) === before + 1, 'the hang-up is counted');
    await eventually(() => s.server.calls().every((call) => call.callId !== c.callId), 'the call is gone');
    const next = await s.call('e2e');
    assert.deepEqual(await next.nextPrompt(), ['welcome']);
    next.hangup();
  });

  test('checkpoints are acknowledged in real time when the client plays back like Plivo', async () => {
    const c = await s.call('e2e', { playback: 'realtime' });
    const started = Date.now();
    assert.deepEqual(await c.nextPrompt(), ['welcome']);
    assert.deepEqual(await c.nextPrompt(), ['main_menu']);
    assert.ok(Date.now() - started >= E2E_PROMPTS.welcome! - 20, 'the menu came after the greeting had played');
    c.hangup();
  });

  test('the no-input timeout runs from when the prompt finished playing, not from when it was sent', async () => {
    const c = await s.call('e2e', { playback: 'realtime' });
    assert.deepEqual(await c.nextPrompt(), ['welcome']);
    assert.deepEqual(await c.nextPrompt(), ['main_menu']);
    const menuSent = c.frames.find((f) => f.prompt === 'main_menu')!.at;
    assert.equal((await c.nextPrompt(2000))[0], 'no_input');
    const noInputSent = c.frames.find((f) => f.prompt === 'no_input')!.at;
    // main_menu plays 240 ms, then the 400 ms timeout: never before 640 ms after the menu was sent.
    assert.ok(noInputSent - menuSent >= E2E_PROMPTS.main_menu! + 400 - 5, `no_input after ${noInputSent - menuSent} ms`);
    c.hangup();
  });

  test('a checkpoint never acknowledged counts as played after the audio duration plus the playback grace', async () => {
    const s2 = await serve([fixture.dir], { playbackGraceMs: 100 });
    try {
      const c = await s2.call('e2e'); // manual mode, and the test never acknowledges
      assert.deepEqual(await c.nextPrompt(), ['welcome']);
      const welcomeAt = c.frames.find((f) => f.prompt === 'welcome')!.at;
      assert.deepEqual(await c.nextPrompt(2000), ['main_menu']);
      const menuAt = c.frames.find((f) => f.prompt === 'main_menu')!.at;
      assert.ok(menuAt - welcomeAt >= E2E_PROMPTS.welcome! + 100 - 5, `main_menu after ${menuAt - welcomeAt} ms`);
      c.hangup();
    } finally {
      await s2.close();
    }
  });
});
