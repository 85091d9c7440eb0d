import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerXml, streamBaseOf } from '../../src/plivo/answer-xml.js';

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
