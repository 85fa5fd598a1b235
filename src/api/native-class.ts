/**
 * zeromq.js's Context, Socket, Observer and Proxy are native classes; calling one without `new`
 * throws V8's message for native constructors, not the one naming a JavaScript class. This
 * gives our classes that outcome and changes nothing else (`new`, `extends`, `instanceof`).
 */
export function nativeClass<T extends abstract new (...args: never[]) => unknown>(cls: T): T {
  return new globalThis.Proxy(cls, {
    apply() {
      throw new TypeError("Class constructors cannot be invoked without 'new'");
    },
  });
}
