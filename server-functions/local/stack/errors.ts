/** An error the stack reports as one line to the person who started it. */
export class StackError extends Error {
  override name = 'StackError';
}
