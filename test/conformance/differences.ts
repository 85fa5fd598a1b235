/**
 * Scenarios where zmtp differs from zeromq.js today: scenario id → what differs (the summary the
 * harness prints). A listed scenario must still differ exactly so; fix a difference, then delete
 * its line (or paste the new summary the failing test prints).
 */
export const differences: Record<string, string> = {};
