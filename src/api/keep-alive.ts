/**
 * What keeps the process alive. Idle sockets must not (zeromq.js's sockets hold no event-loop
 * handle while nothing waits), but a pending send or receive must, as the binding's active
 * poll handle does. One timer stands for all pending operations of the process: referenced while
 * any waits. Operations come and go per message, so the timer is never cleared, and it is let go
 * only once no operation took its place by the end of the current job (no ref/unref per message).
 */
let holders = 0;
let timer: NodeJS.Timeout | null = null;
let referenced = false;
let checking = false;

export function holdProcess(): void {
  holders++;
  if (referenced) return;
  referenced = true;
  if (timer === null) timer = setInterval(noop, 2 ** 30);
  else timer.ref();
}

export function releaseProcess(): void {
  if (--holders !== 0 || checking) return;
  checking = true;
  queueMicrotask(letGo);
}

function letGo(): void {
  checking = false;
  if (holders !== 0 || !referenced) return;
  referenced = false;
  timer!.unref();
}

function noop(): void {}
