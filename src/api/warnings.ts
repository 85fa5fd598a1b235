/** A process warning, as the binding emits them (`process.emitWarning(message)`). */
export function warn(message: string): void {
  process.emitWarning(message);
}
