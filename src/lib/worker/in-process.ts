/**
 * A trace worker without a Worker: the host (host.ts) on one end of a MessageChannel, the returned port on
 * the other, so `openTrace` / `analysisOf` run over the real protocol (structured clone and transfer
 * included) in Node and in tests. Pass it as `connect`.
 */
import { serveTraceRequests } from './host.ts';
import type { MessageEndpoint } from './protocol.ts';

export function connectInProcess(): MessageEndpoint & { terminate: () => void } {
  const { port1, port2 } = new MessageChannel();
  serveTraceRequests(port1 as unknown as MessageEndpoint);
  return Object.assign(port2 as unknown as MessageEndpoint, {
    terminate: () => {
      port1.close();
      port2.close();
    },
  });
}
