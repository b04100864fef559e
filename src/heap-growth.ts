import { setFlagsFromString } from "node:v8";

/**
 * Sets how far V8's heap grows between full garbage collections: to
 * `percent` past what the last one kept. Left to itself V8 picks 10% to
 * 300% by how fast its collector runs against the program; under the
 * bench's load it let 50 to 70 MiB of garbage build up in a server whose
 * live heap is about 25 MiB. V8 reads the factor at every collection, so it
 * applies from here on; 0 leaves V8's own choice.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
