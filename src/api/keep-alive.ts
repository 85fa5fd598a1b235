/**
 * What keeps the process alive. Idle sockets must not (zeromq.js's sockets hold no event-loop
 * handle while nothing waits), but a pending send or receive must, as the binding's active
 * poll handle does. One referenced timer stands for all pending operations of the process.
 */
let holders = 0;
let timer: NodeJS.Timeout | null = null;

export function holdProcess(): void {
  if (holders++ === 0) timer = setInterval(noop, 2 ** 30);
}

export function releaseProcess(): void {
  if (--holders === 0 && timer !== null) {
    clearInterval(timer);
    timer = null;
  }
}

function noop(): void {}
