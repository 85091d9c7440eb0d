import { spawn } from 'node:child_process';
import { maskValues } from '../compile/sensitive.js';
import { UNPRINTABLE_ALL } from '../diagnostics/printable.js';
import { SECRET_ENV } from '../flow/secret-env.js';

/**
 * A synthesizer run as a program (`--tts-command`): the text on its stdin, IVR_TTS_LANGUAGE and
 * IVR_TTS_VOICE in its environment, a WAV on its stdout (flow-language.md, "Prompts from text").
 * The program is as untrusted as any outside input: its output is cut at `maxBytes`, it is
 * killed after `timeoutMs`, a failure is reported with at most a line of its stderr, and its
 * environment is only what it needs to run plus what `--tts-env` passes on (`programEnv`).
 */

/**
 * What any program needs to run, and to reach a cloud engine from inside a network: where
 * programs, libraries and home are, temporary files, time zone, locale (and `LC_*`), the proxy
 * and the CA certificates to trust.
 */
const PLAIN_ENV = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LANGUAGE', 'LD_LIBRARY_PATH', 'PYTHONPATH', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS'];
/** Proxy settings: needed to reach a cloud engine, and often `http://user:password@host`. */
const PROXY_ENV = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
const BASE_ENV = new Set([...PLAIN_ENV, ...PROXY_ENV]);
/** Names whose values an error message may show: the rest (proxies, what `--tts-env` passed: keys, tokens) are masked in it. */
const SHOWABLE_ENV = new Set(PLAIN_ENV);

/**
 * A `--tts-command` program's environment (IVR_TTS_* aside): the base names of `environment`, and
 * `passed` (`--tts-env`), never the server's secrets (secret-env.ts) whoever passes them.
 */
export function programEnv(environment: Readonly<Record<string, string | undefined>>, passed: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...environment, ...passed })) {
    if (value === undefined || SECRET_ENV.has(name)) continue;
    if (BASE_ENV.has(name) || name.startsWith('LC_') || Object.hasOwn(passed, name)) env[name] = value;
  }
  return env;
}

export interface CommandLimits {
  timeoutMs: number;
  maxBytes: number;
}

const STDERR_SHOWN = 200;

export function commandSynthesize(
  program: { argv: readonly string[]; env: Readonly<Record<string, string>> },
  text: string,
  language: string,
  voice: string | undefined,
  limits: CommandLimits,
): Promise<Buffer> {
  const [file, ...args] = program.argv;
  return new Promise((resolve, reject) => {
    const env = { ...program.env, IVR_TTS_LANGUAGE: language, IVR_TTS_VOICE: voice ?? '' };
    const child = spawn(file ?? '', args, { env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    let failure: string | undefined;
    const stop = (why: string) => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(`took longer than ${limits.timeoutMs} ms`), limits.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) stop(`wrote more than ${limits.maxBytes} bytes`);
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_SHOWN) stderr += chunk.toString('utf8');
    });
    // A program that exits without reading its stdin makes the write fail: its exit status says why.
    child.stdin.on('error', () => {});
    child.stdin.end(text);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`TTS command could not start: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure !== undefined) return reject(new Error(`TTS command ${failure}`));
      if (code !== 0) {
        const said = firstLine(stderr, program.env);
        return reject(new Error(`TTS command exited with ${code ?? signal}${said ? `: ${said}` : ''}`));
      }
      resolve(Buffer.concat(chunks));
    });
  });
}

/**
 * One line of the program's stderr for an error message (serve's log, `ivr call`): unprintable
 * characters removed, and any value of its environment that may be a credential (a proxy URL,
 * what `--tts-env` passed) replaced by `***`: a program may well print its own key when it fails.
 */
function firstLine(text: string, env: Readonly<Record<string, string>>): string {
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? '').replace(UNPRINTABLE_ALL, ' ').trim();
  const credentials = Object.entries(env).filter(([name]) => !SHOWABLE_ENV.has(name) && !name.startsWith('LC_')).map(([, value]) => value);
  return maskValues(line, credentials).slice(0, STDERR_SHOWN);
}
