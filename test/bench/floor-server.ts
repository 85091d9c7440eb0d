/**
 * The floor the load benchmark compares against: a bare `ws` server with default options that
 * JSON.parses every frame and answers each DTMF with clear + play + checkpoint, as a naive
 * hand-written IVR would. Run as its own process: `node dist/test/bench/floor-server.js <port>`.
 */
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
// One second of μ-law silence-ish audio, the size of a short prompt.
const payload = Buffer.alloc(8000, 0xff).toString('base64');
let checkpoint = 0;

const wss = new WebSocketServer({ port, host: '127.0.0.1' });
wss.on('connection', (ws) => {
  let streamId = '';
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { event: string; start?: { streamId: string } };
    if (frame.event === 'start') streamId = frame.start?.streamId ?? '';
    else if (frame.event === 'dtmf') {
      ws.send(JSON.stringify({ event: 'clearAudio', streamId }));
      ws.send(JSON.stringify({ event: 'playAudio', media: { contentType: 'audio/x-mulaw', sampleRate: 8000, payload } }));
      ws.send(JSON.stringify({ event: 'checkpoint', streamId, name: `c${++checkpoint}` }));
    }
  });
});
wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`listening on ${typeof address === 'string' ? address : address?.port}\n`);
});
// Exit normally on SIGTERM so `node --cpu-prof` writes its profile (the load bench's --profile).
process.once('SIGTERM', () => process.exit(0));
