/**
 * Slack takes one answer per request. A handler's error path may run after its ack (a failure while telling the
 * person), and a second `ack()` throws in Bolt; this wrapper answers once and ignores later calls.
 */
export function ackOnce<T>(ack: (response?: T) => Promise<void>): (response?: T) => Promise<void> {
  let acked = false;
  return async (response?: T) => {
    if (acked) return;
    acked = true;
    await ack(response);
  };
}
