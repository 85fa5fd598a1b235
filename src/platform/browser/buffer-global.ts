/**
 * Injected by the browser build (esbuild `inject`): every free `Buffer` in the library becomes
 * this import, so pages get Node's Buffer API (the `buffer` package) without a global being set.
 */
// eslint-disable-next-line no-restricted-syntax -- the `buffer` npm package, bundled for pages, not Node's module
export { Buffer } from "buffer";
