/**
 * The floor the load benchmark compares against: a bare `ws` server with default options that
 * JSON.parses every frame and answers each DTMF with clear + play + checkpoint, as a naive
 * hand-written IVR would. Run as its own process: `node dist/test/bench/floor-server.js <port> [audio bytes]`.
 */
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
// The audio answered to each key: by default one second of μ-law (a short prompt); the load bench
// passes as many bytes as ivr played per key in the same run, so both move the same bytes.
const payload = Buffer.alloc(Number(process.argv[3] ?? 8000), 0xff).toString('base64');
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
