/**
 * Imported first by the reload worker, so it runs before the rest of the front end loads: the
 * lowest CPU priority for this thread only (on Linux a nice value is per thread, and
 * `setPriority()` without a pid names the calling thread). On a busy machine a reload then
 * waits and the calls do not. Elsewhere it may apply to the process or be refused: the reload's
 * time and memory budget hold either way.
 */
import { setPriority } from 'node:os';

if (process.platform === 'linux') {
  try {
    setPriority(19);
  } catch {
    // not allowed here: the reload runs at normal priority
  }
}
