/**
 * What one key press costs a whole server, through real sockets: `ivr serve flows/` and the floor
 * (floor.ts) each in their own process, 50 calls on the support flow, 10 000 presses of `9`
 * (clear + play + checkpoint), and the server's CPU time read from /proc before and after. Media
 * frames are left out: this is the key's share of the load bench, without its noise.
 *
 *   npm run build && node dist/test/bench/key-cost.js [--keys 10000] [--rounds 3]
 *
 * Linux only (/proc). Keys go out in bursts of 200 with a 5 ms pause, and each server may queue
 * as much as it likes (`--max-buffered 1024m`), so no stream is cut for reading slowly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CALLS = 50;
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time (user + system) of a process, ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function start(target: 'ivr' | 'floor'): Promise<{ server: ChildProcess; port: number }> {
  const args = target === 'ivr'
    ? [`${ROOT}bin/ivr.js`, 'serve', `${ROOT}flows`, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn', '--records', '/dev/null',
      '--no-reload', '--max-frame-rate', '0', '--max-buffered', '1024m']
    : [`${ROOT}dist/test/bench/floor-server.js`, '0', '73958'];
  const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const read = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on \S*?(\d+)\s*$/m.exec(out);
      if (m) resolve(Number(m[1]));
    };
    server.stdout!.on('data', read);
    server.stderr!.on('data', read);
    server.once('exit', () => reject(new Error(`${target} exited: ${out.slice(-500)}`)));
  });
  return { server, port };
}

async function measure(target: 'ivr' | 'floor', keys: number, rounds: number): Promise<{ perKey: number[]; framesPerKey: number }> {
  const { server, port } = await start(target);
  let received = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < CALLS; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/stream/support`);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.on('message', () => {
      received++;
    });
    ws.send(JSON.stringify({
      event: 'start', sequenceNumber: 1, extra_headers: '',
      start: { callId: `call-${i}-abcdef12`, streamId: `stream-${i}-abcdef12`, accountId: 'MA', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
    }));
    sockets.push(ws);
  }
  await sleep(1500);
  const dtmf = sockets.map((_, i) => JSON.stringify({ event: 'dtmf', sequenceNumber: 3, streamId: `stream-${i}-abcdef12`, dtmf: { track: 'inbound', digit: '9', timestamp: '1' }, extra_headers: '' }));
  let framesPerKey = 0;
  const round = async (n: number): Promise<number> => {
    received = 0;
    const before = cpuMs(server.pid!);
    for (let k = 0; k < n; k++) {
      sockets[k % CALLS]!.send(dtmf[k % CALLS]!);
      if (k % 200 === 199) await sleep(5);
    }
    // Done when nothing more arrives for 300 ms.
    let last = -1;
    while (received !== last) {
      last = received;
      await sleep(300);
    }
    framesPerKey = received / n;
    return ((cpuMs(server.pid!) - before) * 1000) / n;
  };
  await round(2000); // warm up
  const perKey: number[] = [];
  for (let r = 0; r < rounds; r++) perKey.push(await round(keys));
  for (const ws of sockets) ws.terminate();
  server.kill();
  return { perKey, framesPerKey };
}

const keys = arg('--keys', 10_000);
const rounds = arg('--rounds', 3);
for (const target of ['ivr', 'floor'] as const) {
  const { perKey, framesPerKey } = await measure(target, keys, rounds);
  process.stdout.write(`${target.padEnd(6)} server CPU per key: ${perKey.map((us) => us.toFixed(0)).join(' / ')} µs (${framesPerKey.toFixed(2)} frames sent per key)\n`);
}
process.exit(0);
