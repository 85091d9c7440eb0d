/**
 * The floor the benchmarks compare against: a bare `ws` server with default options that
 * JSON.parses every frame and answers each DTMF with clear + play + checkpoint, as a naive
 * hand-written IVR would. `audioBytes` of μ-law are played per key: the load bench passes as many
 * bytes as ivr played per key in the same run, and the frames have ivr's shape (same keys, same
 * order, checkpoint names `p<n>.<n>` counted per call), so both servers move the same bytes per key
 * (the load bench measures and compares them).
 */
import { WebSocketServer } from 'ws';

export async function startFloorServer(port: number, audioBytes: number): Promise<WebSocketServer> {
  const payload = Buffer.alloc(audioBytes, 0xff).toString('base64');
  const wss = new WebSocketServer({ port, host: '127.0.0.1' });
  wss.on('connection', (ws) => {
    let streamId = '';
    // ivr's first answer to a key is its third playback on this flow (welcome, menu, then the key's).
    let checkpoint = 2;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { event: string; start?: { streamId: string } };
      if (frame.event === 'start') streamId = frame.start?.streamId ?? '';
      else if (frame.event === 'dtmf') {
        checkpoint++;
        ws.send(JSON.stringify({ event: 'clearAudio', streamId }));
        ws.send(JSON.stringify({ event: 'playAudio', media: { contentType: 'audio/x-mulaw', sampleRate: 8000, payload } }));
        ws.send(JSON.stringify({ event: 'checkpoint', streamId, name: `p${checkpoint}.${checkpoint}` }));
      }
    });
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  return wss;
}
