/**
 * A page has no process: nothing to keep alive, no exit to deliver queued messages at (a page
 * that closes drops them, as a killed process does). Warnings go to the console.
 */

export function holdProcess(): void {}

export function releaseProcess(): void {}

export function watchProcessExit(): void {}

export function warn(message: string): void {
  console.warn(message);
}
