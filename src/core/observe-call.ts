import type { CallObserver, ChatObserver, ChatOperation, TransportProtocol } from "./chat-observer.js";
import { GatewayError } from "./errors.js";
import { secondsSince } from "./seconds-since.js";

/**
 * One unary call as the observer sees it: begun now, ended once `work`
 * answers or fails, with the failure the caller gets (which is rethrown).
 */
export async function observeCall<T>(
  observer: ChatObserver,
  protocol: TransportProtocol,
  operation: ChatOperation,
  work: (observed: CallObserver) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const observed = observer.begin(protocol, operation);
  try {
    const result = await work(observed);
    observed.end(secondsSince(started));
    return result;
  } catch (error) {
    const failed = GatewayError.from(error);
    observed.end(secondsSince(started), failed);
    throw failed;
  }
}
