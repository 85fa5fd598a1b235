/** Where a `zmtp` command writes: the process's streams, or a test's buffers. */
export interface CommandIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}
