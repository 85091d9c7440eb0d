import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerXml, isValidHost, streamBaseOf } from '../../src/plivo/answer-xml.js';

describe('the answer XML', () => {
  test('a bidirectional stream kept alive, in the chosen codec, with the flow as extra header, then Hangup', () => {
    assert.equal(
      answerXml({ flowId: 'support', streamBase: 'wss://ivr.example.com', contentType: 'audio/x-l16;rate=16000' }),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n' +
        '  <Stream bidirectional="true" keepCallAlive="true" contentType="audio/x-l16;rate=16000" extraHeaders="flow=support">wss://ivr.example.com/stream/support</Stream>\n' +
        '  <Hangup/>\n</Response>\n',
    );
  });

  test('no extraHeaders for a flow id Plivo would refuse there (letters and digits only): the path names the flow', () => {
    const xml = answerXml({ flowId: 'after-hours', streamBase: 'wss://h', contentType: 'audio/x-mulaw;rate=8000' });
    assert.match(xml, /<Stream bidirectional="true" keepCallAlive="true" contentType="audio\/x-mulaw;rate=8000">wss:\/\/h\/stream\/after-hours<\/Stream>/);
  });

  test('the stream URL comes from the public URL (https -> wss, path kept as a prefix), else the Host header', () => {
    assert.equal(streamBaseOf('https://ivr.example.com', 'internal:8080'), 'wss://ivr.example.com');
    assert.equal(streamBaseOf('https://example.com/ivr/', undefined), 'wss://example.com/ivr');
    assert.equal(streamBaseOf('http://localhost:8080', undefined), 'ws://localhost:8080');
    assert.equal(streamBaseOf(undefined, '10.0.0.5:8080'), 'ws://10.0.0.5:8080');
  });
});

describe('the Host header, without --public-url', () => {
  test('host names, IPv4 and bracketed IPv6 with an optional port are valid; anything else is not', () => {
    for (const host of ['ivr.example.com', 'ivr.example.com:8443', '127.0.0.1:8080', '[::1]:9000', 'my_service:80', 'localhost']) assert.ok(isValidHost(host), host);
    for (const host of [undefined, '', 'evil.com/x', 'a b', '"><Stream>', 'x.com:99999', 'user@evil.com', 'evil.com\r\nX: 1', 'h'.repeat(300)]) {
      assert.ok(!isValidHost(host), JSON.stringify(host));
    }
  });
});
