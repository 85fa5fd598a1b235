/**
 * The socket test helpers moved to test/helpers/ (the specs share them). This re-export keeps
 * test files written against the old path working; new files import test/helpers/ directly.
 */
export * from "../../helpers/sockets.js";
export { sleep, until } from "../../helpers/time.js";
