/**
 * The server's own secrets in its environment. They stay with the server: no flow sees them as
 * `env.NAME` (`--allow-env`) and no `--tts-command` program gets them (`--tts-env`), whatever
 * prefix would name them, so a flow cannot speak, send or log them.
 */
export const AUTH_TOKEN_ENV = 'PLIVO_AUTH_TOKEN';

export const SECRET_ENV: ReadonlySet<string> = new Set([AUTH_TOKEN_ENV]);
