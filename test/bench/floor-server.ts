/**
 * The floor server (floor.ts) as its own process, for the load benchmark:
 * `node dist/test/bench/floor-server.js <port> [audio bytes per key, default 8000 = one second]`.
 */
import { startFloorServer } from './floor.js';

const wss = await startFloorServer(Number(process.argv[2] ?? 0), Number(process.argv[3] ?? 8000));
const address = wss.address();
process.stdout.write(`listening on ${typeof address === 'string' ? address : address?.port}\n`);
// Exit normally on SIGTERM so `node --cpu-prof` writes its profile (the load bench's --profile).
process.once('SIGTERM', () => process.exit(0));
