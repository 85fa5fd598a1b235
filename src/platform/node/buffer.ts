import { constants } from "node:buffer";

/** The largest Buffer the runtime can allocate (the decoder refuses larger frames it would gather). */
export const MAX_BUFFER_LENGTH: number = constants.MAX_LENGTH;
