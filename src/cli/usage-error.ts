/**
 * A mistake in how ivr was called (a path that does not exist, an unknown --format). Commands
 * throw it; main() prints the message and exits 2, the one place exit codes are decided.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
