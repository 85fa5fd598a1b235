/** `zmtp/batch`: sendMany and receiveMany, many messages per promise (not in zeromq.js). */
export { receiveMany, sendMany } from "../api/batch.js";
