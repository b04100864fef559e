/**
 * An HTTP/1.1 connection written and read byte for byte, to see what the
 * server does with a client that sends exactly this, as slowly as this.
 */
import net from "node:net";

export interface RawConnection {
  send(text: string): void;
  /** Everything the server sent so far. */
  received(): string;
  /** How many answers (status lines) have arrived. */
  answers(): number;
  /** Resolves once `count` answers (each a JSON body) have fully arrived. */
  answered(count: number): Promise<void>;
  /** Resolves once the text has arrived. */
  receivedText(text: string): Promise<void>;
  /** Resolves with everything the server sent, once the connection is closed. */
  ended: Promise<string>;
}

export function rawConnection(port: number): RawConnection {
  const socket = net.connect(port, "127.0.0.1");
  socket.setEncoding("utf8");
  // A reset from the server is one of the ways the connection may end.
  socket.on("error", () => {});
  let received = "";
  let onData = () => {};
  socket.on("data", (chunk: string) => {
    received += chunk;
    onData();
  });
  const answers = () => received.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0;
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      onData = () => {
        if (done()) resolve();
      };
      onData();
    });
  return {
    send: (text) => socket.write(text),
    received: () => received,
    answers,
    answered: (count) => until(() => answers() >= count && received.endsWith("}")),
    receivedText: (text) => until(() => received.includes(text)),
    ended: new Promise((resolve) => socket.once("close", () => resolve(received))),
  };
}
