/**
 * The floor the benchmarks compare against: a bare `ws` server with default options that
 * JSON.parses every frame and answers each DTMF with clear + play + checkpoint, as a naive
 * hand-written IVR would. `audioBytes` of μ-law are played per key: the load bench passes as many
 * bytes as ivr played per key in the same run, so both servers move the same bytes.
 */
import { WebSocketServer } from 'ws';

export async function startFloorServer(port: number, audioBytes: number): Promise<WebSocketServer> {
  const payload = Buffer.alloc(audioBytes, 0xff).toString('base64');
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
  await new Promise((resolve) => wss.once('listening', resolve));
  return wss;
}
