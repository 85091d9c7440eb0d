/** Where a call session's frames go: a Plivo WebSocket under `ivr serve`, a recorder under `ivr test`. */
export interface Transport {
  /** Send one JSON text frame (already serialised: prompt frames are pre-built and shared). */
  send(text: string): void;
  /** Close the stream: code 1000 and the end reason when the flow ends. */
  close(code: number, reason: string): void;
}
