/**
 * DEALER/ROUTER family against libzmq: DEALER-ROUTER, DEALER-DEALER and ROUTER-ROUTER
 * (ids preset on both ROUTERs, the connecting one naming its peer at connect time).
 */
import { useCleanup } from "./helpers.js";
import {
  DEALER_DEALER,
  DEALER_ROUTER,
  ROUTER_ROUTER,
  describeLargeFrame,
  describeMultipart,
} from "./pairings.js";

useCleanup();

describeMultipart(DEALER_ROUTER);
describeMultipart(DEALER_DEALER);
describeMultipart(ROUTER_ROUTER);
describeLargeFrame(DEALER_ROUTER);
