// eslint-disable-next-line no-restricted-syntax -- the `buffer` npm package, bundled for pages, not Node's module
import { kMaxLength } from "buffer";

/**
 * The `buffer` package's limit, 2^31 - 1 bytes. Its Buffer is also the one the bundle gives the
 * library's free `Buffer` references (scripts/build-browser.mjs injects ./buffer-global.ts).
 */
export const MAX_BUFFER_LENGTH: number = kMaxLength;
