export type { Fetcher } from '../compile/protocol.js';
export { FetchError } from '../compile/fetch-failure.js';
