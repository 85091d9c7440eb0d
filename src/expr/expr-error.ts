/**
 * A CEL expression failed while a call was running (a missing key in a response body, a
 * division by zero, a value of the wrong type). The message is plain words for the call's log;
 * the machine catches this and routes the call to its `onError` node.
 */
export class ExprError extends Error {
  override readonly name = 'ExprError';
  constructor(message: string, readonly source?: string) {
    super(message);
  }
}
