import { Writable } from "node:stream";

/**
 * An output for readline that can be shut: readline echoes what is typed to
 * its output, so shutting the gate hides a secret as it is typed, or keys
 * typed ahead while an answer is being written. It reports the terminal's
 * width so readline still wraps long lines right.
 */
export class EchoGate {
  readonly stream: Writable;
  #open = true;

  constructor(output: NodeJS.WriteStream) {
    const isOpen = () => this.#open;
    this.stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (isOpen()) output.write(chunk);
        done();
      },
    });
    Object.defineProperty(this.stream, "columns", { get: () => output.columns });
    output.on("resize", () => this.stream.emit("resize"));
  }

  open(): void {
    this.#open = true;
  }

  shut(): void {
    this.#open = false;
  }
}
