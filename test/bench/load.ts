/**
 * Load benchmark: N concurrent Plivo-like calls against `ivr serve` and, in the same run, against
 * a floor server (a bare `ws` server that JSON.parses every frame), so results are ratios.
 *
 *   npm run bench                      # 600 calls, ivr then floor, table
 *   node dist/test/bench/load.js --calls 300 --seconds 20 --json
 *   node dist/test/bench/load.js --ramp # steps N up until the generator or the server saturates
 *   node dist/test/bench/load.js --profile /tmp/prof   # + node --cpu-prof of both; see profile-top.ts
 *   node dist/test/bench/load.js --target ivr --workers 2   # ivr serve --workers 2 (CPU and RSS summed)
 *
 * Other options: --floor-audio-bytes N (the floor's answer; default: what ivr played per key in
 * the same run), --node-flags "<flags>" and --server-log <file> (e.g. --trace-deopt), --key,
 * --key-every ms, --flow, --warmup s.
 *
 * With both targets the table ends with an `ivr/floor` row and a line of ratios: CPU per media
 * frame, DTMF → first response p99, RSS per call (and its difference in KB), and whether the floor
 * answered each key with the same bytes as ivr (all frames received per key, within 1 %). `--json`
 * prints `{ runs: [...], ratios: {...} | undefined }`.
 *
 * The generator behaves like Plivo: a start frame, a media frame every 20 ms per call (one shared
 * timer, frames pre-encoded), a playback queue per call (checkpoints acknowledged after the audio's
 * real duration, cleared audio never acknowledged), a key press per call every --key-every ms, and
 * reconnection of calls the server ends. It reports its own timer lag: a run whose lag p99 is
 * over 5 ms measured the generator, not the server, and is marked invalid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

interface Options {
  calls: number;
  seconds: number;
  warmup: number;
  keyEvery: number;
  key: string;
  flow: string;
  targets: ('floor' | 'ivr')[];
  json: boolean;
  ramp: boolean;
  /** Folder for `node --cpu-prof` profiles of the servers (written when they exit after the run). */
  profile: string | undefined;
  /** `ivr serve --workers N` (0 = no cluster, the default). */
  workers: number;
  /**
   * Bytes of audio the floor answers each key with. Default: as many as ivr played per key in the
   * same run (ivr runs first), so both servers move the same bytes and the ratio is the engine's.
   */
  floorAudioBytes: number | undefined;
  /** Extra node flags for the servers (`--node-flags "--trace-deopt"`), their output to --server-log. */
  nodeFlags: string[];
  serverLog: string | undefined;
}

interface RunResult {
  target: string;
  calls: number;
  seconds: number;
  mediaFrames: number;
  framesPerSecond: number;
  cpuMs: number;
  /** Of cpuMs, the part spent in the kernel (socket reads and writes). */
  systemCpuMs: number;
  cpuUsPerMediaFrame: number;
  /** Mean bytes of audio (decoded playAudio payloads) sent per key press. */
  audioBytesPerKey: number;
  /** Frames the server sent per key press (all events). */
  framesOutPerKey: number;
  /** Bytes of every frame the server sent, per key press (the floor must match ivr's). */
  bytesOutPerKey: number;
  cpuPercent: number;
  rssIdleMb: number;
  rssMb: number;
  rssPerCallKb: number;
  latencyMs: { samples: number; p50: number; p90: number; p99: number; max: number };
  generatorLagMs: { p99: number; max: number };
  valid: boolean;
  errors: number;
  reconnects: number;
  /** The measured window in ms since the server was spawned (for `profile-top --from --to`). */
  windowMs: [number, number];
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Media every 20 ms per call, sent in PHASES slices of the calls every TICK_MS: calls are not in
// lockstep on a real media server, and short slices keep the generator from holding replies back.
const PHASES = 4;
const TICK_MS = 20 / PHASES;
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s

function parseArgs(argv: string[]): Options {
  const o: Options = {
    calls: 600, seconds: 60, warmup: 10, keyEvery: 2000, key: '9', flow: 'support',
    targets: ['floor', 'ivr'], json: false, ramp: false, profile: undefined, workers: 0, floorAudioBytes: undefined, nodeFlags: [], serverLog: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = (): string => argv[++i] ?? '';
    if (a === '--calls') o.calls = Number(v());
    else if (a === '--seconds') o.seconds = Number(v());
    else if (a === '--warmup') o.warmup = Number(v());
    else if (a === '--key-every') o.keyEvery = Number(v());
    else if (a === '--key') o.key = v();
    else if (a === '--flow') o.flow = v();
    else if (a === '--target') o.targets = v().split(',') as Options['targets'];
    else if (a === '--json') o.json = true;
    else if (a === '--ramp') o.ramp = true;
    else if (a === '--profile') o.profile = v();
    else if (a === '--workers') o.workers = Number(v());
    else if (a === '--floor-audio-bytes') o.floorAudioBytes = Number(v());
    else if (a === '--node-flags') o.nodeFlags = v().split(' ').filter((f) => f !== '');
    else if (a === '--server-log') o.serverLog = v();
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

// ---- the server under test, as a separate process ----

async function startServer(target: 'floor' | 'ivr', options: Options): Promise<{ proc: ChildProcess; url: string; spawnedAt: number }> {
  const flow = options.flow;
  const node = options.profile === undefined ? [...options.nodeFlags] : [...options.nodeFlags, '--cpu-prof', '--cpu-prof-dir', options.profile, '--cpu-prof-name', `${target}-${options.calls}-${Date.now()}.cpuprofile`];
  const args = target === 'floor'
    ? [...node, fileURLToPath(new URL('./floor-server.js', import.meta.url)), '0', String(options.floorAudioBytes ?? 8000)]
    : [
      ...node, `${ROOT}bin/ivr.js`, 'serve', `${ROOT}flows`, '--port', '0', '--host', '127.0.0.1',
      '--log-level', 'warn', '--records', '/dev/null', '--no-reload', '--drain-timeout', '1s',
      ...(options.workers > 0 ? ['--workers', String(options.workers)] : []),
    ];
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on \S*?(\d+)\s*$/m.exec(out) ?? /listening on .*:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`${target} server exited with ${code}: ${out}`)));
  });
  if (options.serverLog !== undefined) {
    const log = createWriteStream(options.serverLog, { flags: 'a' });
    proc.stdout!.pipe(log);
    proc.stderr!.pipe(log);
  } else {
    proc.stdout!.resume();
    proc.stderr!.resume();
  }
  const url = target === 'floor' ? `ws://127.0.0.1:${port}/` : `ws://127.0.0.1:${port}/stream/${flow}`;
  return { proc, url, spawnedAt };
}

/** CPU time of a process and its children that exited (cluster workers are reaped at exit only, so see `treeCpuMs`). */
function cpuMs(pid: number): { total: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return { total: ((user + system) * 1000) / CLK_TCK, system: (system * 1000) / CLK_TCK }; // utime + stime
}

/** The pids of a process and its live descendants (`ivr serve --workers N` forks). */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children === '' ? [] : children.split(' ')) out.push(...processTree(Number(child)));
    }
  } catch {
    // the process is gone
  }
  return out;
}

function treeCpuMs(pid: number): { total: number; system: number } {
  let total = 0;
  let system = 0;
  for (const p of processTree(pid)) {
    try {
      const c = cpuMs(p);
      total += c.total;
      system += c.system;
    } catch {
      // exited between listing and reading
    }
  }
  return { total, system };
}

function rssMb(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    } catch {
      // exited
    }
  }
  return kb / 1024;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** SIGKILL, or with profiling SIGTERM and a wait: node writes --cpu-prof only on a normal exit. */
async function stopServer(proc: ChildProcess, gently: boolean): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  if (!gently) {
    proc.kill('SIGKILL');
    return exited;
  }
  await sleep(300); // let the server see the calls hang up first
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// ---- one Plivo-like call ----

const PLAY_AUDIO = Buffer.from('"event":"playAudio"');
const PAYLOAD_KEY = Buffer.from('"payload":"');

/** Length of a playAudio frame's base64 payload without parsing it; -1 when not one (or unsure). */
function playAudioBase64Length(data: Buffer): number {
  const event = data.indexOf(PLAY_AUDIO);
  if (event < 0 || event > 2) return -1;
  const key = data.indexOf(PAYLOAD_KEY);
  if (key < 0) return -1;
  const start = key + PAYLOAD_KEY.length;
  const end = data.indexOf(0x22, start);
  return end < 0 ? -1 : end - start;
}

const MEDIA_PAYLOAD = Buffer.from(Array.from({ length: 160 }, (_, i) => 0x7f ^ (i * 37) & 0xff)).toString('base64');

class FakeCall {
  ws: WebSocket;
  open = false;
  queueEnd = 0;
  checkpoints: { name: string; due: number }[] = [];
  keySentAt = 0;
  nextKeyAt: number;
  readonly media: string;
  readonly dtmf: string;

  constructor(readonly gen: Generator, readonly index: number, url: string) {
    const id = `${index}-${Math.random().toString(16).slice(2, 10)}`;
    const streamId = `stream-${id}`;
    this.media = JSON.stringify({
      event: 'media', sequenceNumber: 2, streamId,
      media: { track: 'inbound', timestamp: '1705312200000', chunk: 1, payload: MEDIA_PAYLOAD },
      extra_headers: '',
    });
    this.dtmf = JSON.stringify({
      event: 'dtmf', sequenceNumber: 3, streamId,
      dtmf: { track: 'inbound', digit: gen.options.key, timestamp: '1705312201234' }, extra_headers: '',
    });
    const start = JSON.stringify({
      event: 'start', sequenceNumber: 1,
      start: {
        callId: `call-${id}`, streamId, accountId: 'MABENCH', tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 },
      },
      extra_headers: '',
    });
    // Stagger key presses over the interval so the load is even.
    this.nextKeyAt = performance.now() + 1000 + (index * gen.options.keyEvery) / gen.options.calls;
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('open', () => {
      this.open = true;
      this.ws.send(start);
    });
    this.ws.on('message', (data: Buffer) => this.onMessage(data));
    this.ws.on('error', () => gen.errors++);
    this.ws.on('close', () => {
      this.open = false;
      gen.onClosed(this);
    });
  }

  onMessage(data: Buffer): void {
    const now = performance.now();
    this.gen.framesIn++;
    this.gen.bytesIn += data.length;
    if (this.keySentAt !== 0) {
      this.gen.latencies.push(now - this.keySentAt);
      this.gen.keysAnswered++;
      this.keySentAt = 0;
    }
    // playAudio frames carry seconds of audio (~100 KB of base64): only the payload's length is
    // needed, so they are measured in place; parsing them would make the generator the bottleneck.
    const audio = playAudioBase64Length(data);
    const frame = audio >= 0 ? { event: 'playAudio' } : JSON.parse(data.toString()) as { event: string; name?: string; media?: { payload: string } };
    if (audio >= 0 && !this.gen.audioChecked) {
      // Once per run, the shortcut is checked against the full parse.
      const full = (JSON.parse(data.toString()) as { media?: { payload?: string } }).media?.payload;
      if (full?.length !== audio) throw new Error(`the generator misread a playAudio frame: ${audio} vs ${full?.length} base64 characters`);
      this.gen.audioChecked = true;
    }
    if (frame.event === 'playAudio') {
      const b64 = audio >= 0 ? audio : (frame.media?.payload ?? '').length;
      const end = audio >= 0 ? data.subarray(data.indexOf(PAYLOAD_KEY) + PAYLOAD_KEY.length + b64 - 2, data.indexOf(PAYLOAD_KEY) + PAYLOAD_KEY.length + b64).toString('latin1') : (frame.media?.payload ?? '').slice(-2);
      const bytes = (b64 * 3) / 4 - (end === '==' ? 2 : end.endsWith('=') ? 1 : 0);
      this.queueEnd = Math.max(now, this.queueEnd) + bytes / 8; // μ-law 8 kHz: 8 bytes per ms
      this.gen.audioBytes += bytes;
    } else if (frame.event === 'checkpoint') {
      this.checkpoints.push({ name: frame.name ?? '', due: Math.max(now, this.queueEnd) });
    } else if (frame.event === 'clearAudio') {
      this.checkpoints.length = 0; // cleared audio is never acknowledged
      this.queueEnd = now;
      this.ws.send('{"event":"clearedAudio","sequenceNumber":0}');
    }
  }

  tick(now: number): void {
    if (!this.open) return;
    this.ws.send(this.media);
    this.gen.mediaSent++;
    while (this.checkpoints.length > 0 && this.checkpoints[0]!.due <= now) {
      const cp = this.checkpoints.shift()!;
      this.ws.send(`{"event":"playedStream","sequenceNumber":0,"name":${JSON.stringify(cp.name)}}`);
    }
    if (now >= this.nextKeyAt) {
      this.nextKeyAt += this.gen.options.keyEvery;
      this.ws.send(this.dtmf);
      this.keySentAt = performance.now();
    }
  }
}

class Generator {
  calls: FakeCall[] = [];
  latencies: number[] = [];
  lags: number[] = [];
  mediaSent = 0;
  keysAnswered = 0;
  audioBytes = 0;
  audioChecked = false;
  framesIn = 0;
  bytesIn = 0;
  errors = 0;
  reconnects = 0;
  running = true;
  private timer: NodeJS.Timeout | undefined;
  private expected = 0;
  private phase = 0;

  constructor(readonly options: Options, readonly url: string) {}

  start(): void {
    for (let i = 0; i < this.options.calls; i++) this.calls.push(new FakeCall(this, i, this.url));
    this.expected = performance.now() + TICK_MS;
    // One shared timer for every call; lag = how late it fires, the generator's own health.
    const loop = (): void => {
      const now = performance.now();
      this.lags.push(now - this.expected);
      for (let i = this.phase; i < this.calls.length; i += PHASES) this.calls[i]!.tick(now);
      this.phase = (this.phase + 1) % PHASES;
      this.expected += TICK_MS;
      if (this.expected < now) this.expected = now + TICK_MS;
      if (this.running) this.timer = setTimeout(loop, Math.max(0, this.expected - performance.now()));
    };
    this.timer = setTimeout(loop, TICK_MS);
  }

  onClosed(call: FakeCall): void {
    if (!this.running) return;
    this.reconnects++;
    this.calls[call.index] = new FakeCall(this, call.index, this.url);
  }

  resetStats(): void {
    this.latencies = [];
    this.lags = [];
    this.mediaSent = 0;
    this.keysAnswered = 0;
    this.audioBytes = 0;
    this.framesIn = 0;
    this.bytesIn = 0;
    this.errors = 0;
    this.reconnects = 0;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    for (const call of this.calls) call.ws.terminate();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function runOne(target: 'floor' | 'ivr', options: Options): Promise<RunResult> {
  const { proc, url, spawnedAt } = await startServer(target, options);
  try {
    await sleep(500);
    const rssIdle = rssMb(proc.pid!);
    const gen = new Generator(options, url);
    gen.start();
    await sleep(options.warmup * 1000);
    gen.resetStats();
    const cpu0 = treeCpuMs(proc.pid!);
    const t0 = performance.now();
    await sleep(options.seconds * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu1 = treeCpuMs(proc.pid!);
    const cpu = cpu1.total - cpu0.total;
    const audioBytesPerKey = Math.round(gen.audioBytes / Math.max(1, gen.keysAnswered));
    const framesOutPerKey = +(gen.framesIn / Math.max(1, gen.keysAnswered)).toFixed(2);
    const bytesOutPerKey = Math.round(gen.bytesIn / Math.max(1, gen.keysAnswered));
    const rss = rssMb(proc.pid!);
    const media = gen.mediaSent;
    const lat = [...gen.latencies].sort((a, b) => a - b);
    const lags = [...gen.lags].sort((a, b) => a - b);
    await gen.stop();
    const lagP99 = percentile(lags, 99);
    return {
      target, calls: options.calls, seconds: Math.round(elapsed),
      mediaFrames: media, framesPerSecond: Math.round(media / elapsed),
      cpuMs: Math.round(cpu), systemCpuMs: Math.round(cpu1.system - cpu0.system), audioBytesPerKey, framesOutPerKey, bytesOutPerKey, cpuUsPerMediaFrame: +((cpu * 1000) / Math.max(1, media)).toFixed(2),
      cpuPercent: +((cpu / (elapsed * 1000)) * 100).toFixed(1),
      rssIdleMb: +rssIdle.toFixed(1), rssMb: +rss.toFixed(1),
      rssPerCallKb: Math.round(((rss - rssIdle) * 1024) / options.calls),
      latencyMs: {
        samples: lat.length, p50: +percentile(lat, 50).toFixed(2), p90: +percentile(lat, 90).toFixed(2),
        p99: +percentile(lat, 99).toFixed(2), max: +(lat[lat.length - 1] ?? 0).toFixed(2),
      },
      generatorLagMs: { p99: +lagP99.toFixed(2), max: +(lags[lags.length - 1] ?? 0).toFixed(2) },
      valid: lagP99 < 5,
      errors: gen.errors, reconnects: gen.reconnects,
      windowMs: [Math.round(t0 - spawnedAt), Math.round(t0 - spawnedAt + elapsed * 1000)],
    };
  } finally {
    await stopServer(proc, options.profile !== undefined);
  }
}

/** ivr against the floor in the same run: the targets are ratios, not absolute figures. */
interface Ratios {
  /** ivr / floor server CPU per media frame (target ≤ 1.0). */
  cpuPerMediaFrame: number;
  /** ivr / floor DTMF → first response p99 (target ≤ 1.5). */
  p99: number;
  /** ivr / floor RSS per call above idle, and the difference in KB (target ≤ +10 KB). */
  rssPerCall: number;
  rssPerCallDiffKb: number;
  /** Bytes received per key from each: the floor must answer with what ivr sent. */
  bytesOutPerKey: { ivr: number; floor: number; same: boolean };
  /** Both runs' generators kept up (lag p99 < 5 ms): only then do the ratios measure the servers. */
  valid: boolean;
}

function ratiosOf(ivr: RunResult, floor: RunResult): Ratios {
  const ratio = (a: number, b: number): number => +(a / Math.max(1e-9, b)).toFixed(2);
  return {
    cpuPerMediaFrame: ratio(ivr.cpuUsPerMediaFrame, floor.cpuUsPerMediaFrame),
    p99: ratio(ivr.latencyMs.p99, floor.latencyMs.p99),
    rssPerCall: ratio(ivr.rssPerCallKb, floor.rssPerCallKb),
    rssPerCallDiffKb: ivr.rssPerCallKb - floor.rssPerCallKb,
    bytesOutPerKey: {
      ivr: ivr.bytesOutPerKey, floor: floor.bytesOutPerKey,
      same: Math.abs(ivr.bytesOutPerKey - floor.bytesOutPerKey) <= 0.01 * Math.max(1, ivr.bytesOutPerKey),
    },
    valid: ivr.valid && floor.valid,
  };
}

function table(results: RunResult[], ratios?: Ratios): string {
  const rows = [
    ['target', 'calls', 'frames/s', 'CPU µs/media frame', 'CPU %', 'sys %', 'audio B/key', 'B/key', 'frames/key', 'RSS/call KB', 'p50 ms', 'p99 ms', 'max ms', 'gen lag p99', 'valid', 'errors'],
    ...results.map((r) => [
      r.target, String(r.calls), String(r.framesPerSecond), String(r.cpuUsPerMediaFrame), String(r.cpuPercent),
      String(Math.round((100 * r.systemCpuMs) / Math.max(1, r.cpuMs))), String(r.audioBytesPerKey), String(r.bytesOutPerKey), String(r.framesOutPerKey),
      String(r.rssPerCallKb), String(r.latencyMs.p50), String(r.latencyMs.p99), String(r.latencyMs.max),
      String(r.generatorLagMs.p99), r.valid ? 'yes' : 'NO', String(r.errors),
    ]),
    ...(ratios === undefined ? [] : [[
      'ivr/floor', '', '', `${ratios.cpuPerMediaFrame}x`, '', '', '', ratios.bytesOutPerKey.same ? 'same' : 'DIFFER', '',
      `${ratios.rssPerCall}x`, '', `${ratios.p99}x`, '', '', ratios.valid ? 'yes' : 'NO', '',
    ]]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

function ratioLine(r: Ratios): string {
  const bytes = r.bytesOutPerKey.same
    ? `the floor answered each key with ivr's bytes (${r.bytesOutPerKey.ivr} B)`
    : `the floor's answer DIFFERS from ivr's: ${r.bytesOutPerKey.floor} vs ${r.bytesOutPerKey.ivr} B per key`;
  const sign = r.rssPerCallDiffKb >= 0 ? '+' : '';
  return `ivr / floor: CPU per media frame ${r.cpuPerMediaFrame}x (target ≤ 1.0), DTMF → first response p99 ${r.p99}x (≤ 1.5), ` +
    `RSS per call ${r.rssPerCall}x, ${sign}${r.rssPerCallDiffKb} KB (≤ +10 KB); ${bytes}${r.valid ? '' : '; NOT VALID (generator lag)'}\n`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const results: RunResult[] = [];
  if (options.ramp) {
    for (const target of options.targets) {
      for (let calls = 100; calls <= 2000; calls += calls < 600 ? 100 : 200) {
        const r = await runOne(target, { ...options, calls });
        results.push(r);
        if (!options.json) process.stdout.write(`${table([r])}\n`);
        if (!r.valid) { process.stdout.write(`${target}: the generator saturated at ${calls} calls\n`); break; }
        if (r.cpuPercent > 90 || r.latencyMs.p99 > 100) { process.stdout.write(`${target}: the server saturated at ${calls} calls\n`); break; }
      }
    }
  } else {
    // ivr first: by default the floor then answers each key with as much audio as ivr did.
    for (const target of [...options.targets].sort((a, b) => (a === 'ivr' ? -1 : b === 'ivr' ? 1 : 0))) {
      const ivr = results.find((r) => r.target === 'ivr');
      const floorAudioBytes = options.floorAudioBytes ?? (ivr && ivr.audioBytesPerKey > 0 ? ivr.audioBytesPerKey : undefined);
      results.push(await runOne(target, { ...options, floorAudioBytes }));
    }
  }
  const floor = results.find((r) => r.target === 'floor');
  const ivr = results.find((r) => r.target === 'ivr');
  const ratios = !options.ramp && floor && ivr ? ratiosOf(ivr, floor) : undefined;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ runs: results, ratios }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${table(results, ratios)}\n`);
  if (options.profile !== undefined) {
    for (const r of results) process.stdout.write(`${r.target} profile window: --from ${r.windowMs[0]} --to ${r.windowMs[1]}\n`);
  }
  if (ratios) process.stdout.write(ratioLine(ratios));
}

await main();
