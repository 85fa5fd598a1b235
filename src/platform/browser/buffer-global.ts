// eslint-disable-next-line no-restricted-syntax -- the `buffer` npm package, bundled for pages, not Node's module
import { Buffer as BufferPackage } from "buffer";

/**
 * Injected by the browser build (esbuild `inject`): every free `Buffer` in the library becomes
 * this binding, so pages get Node's Buffer API (the `buffer` package) without a global being set.
 * A binding of its own, not a re-export: the package is CommonJS, and a re-export would make
 * every use a property read of its exports object.
 */
export const Buffer: typeof BufferPackage = BufferPackage;
