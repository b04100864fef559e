import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { DEFAULT_IMAGE_FETCH, type ImageFetchConfig } from "../../../config/load-config.js";
import { VERSION } from "../../../version.js";
import { isPublicAddress } from "./address-guard.js";
import { formatOfMediaType, IMAGE_MEDIA_TYPES } from "./image-format.js";

const MAX_REDIRECTS = 3;
const ACCEPT = Object.values(IMAGE_MEDIA_TYPES).join(", ");

/** Why an image could not be fetched; the message is meant for the caller. */
export class ImageFetchError extends Error {
  override name = "ImageFetchError";
}

export interface FetchedImage {
  bytes: Buffer;
  /** The answer's content type, without parameters. */
  contentType: string;
}

/**
 * The resolver every connection uses: it resolves the host and refuses the
 * connection when any address it resolves to is not public, so the check
 * covers the address actually connected to (no second lookup to rebind).
 */
function guardedLookup(hostname: string, allowed: (address: string) => boolean): LookupFunction {
  return (host, options, callback) => {
    dnsLookup(host, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, "", 0);
        return;
      }
      const refused = addresses.find((entry) => !allowed(entry.address));
      if (refused) {
        callback(new ImageFetchError(`${hostname} resolves to ${refused.address}, a private or local address`), "", 0);
        return;
      }
      if (options.all) (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]?.address ?? "", addresses[0]?.family ?? 4);
    });
  };
}

/** Fetches images by URL under a policy: size cap, deadline, image types only, no private addresses. */
export class ImageFetcher {
  readonly policy: ImageFetchConfig;
  readonly #allowed: (address: string) => boolean;

  /** `allowed` decides which addresses may be connected to when private ones are not allowed. */
  constructor(policy: ImageFetchConfig = DEFAULT_IMAGE_FETCH, allowed: (address: string) => boolean = isPublicAddress) {
    this.policy = policy;
    this.#allowed = allowed;
  }

  async fetch(url: URL, signal: AbortSignal): Promise<FetchedImage> {
    if (!this.policy.enabled) throw new ImageFetchError("this server does not fetch images by URL; send a data: URL");
    const deadline = AbortSignal.timeout(this.policy.timeoutMs);
    const combined = AbortSignal.any([signal, deadline]);
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const answer = await this.#get(current, combined, deadline);
      const location = answer.headers.location;
      if (answer.statusCode !== undefined && answer.statusCode >= 300 && answer.statusCode < 400 && location) {
        answer.resume();
        current = new URL(location, current);
        continue;
      }
      return await this.#read(answer, current, combined, deadline);
    }
    throw new ImageFetchError(`more than ${MAX_REDIRECTS} redirects`);
  }

  #get(url: URL, signal: AbortSignal, deadline: AbortSignal): Promise<IncomingMessage> {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return Promise.reject(new ImageFetchError(`${url.protocol} URLs are not fetched`));
    }
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const guarded = !this.policy.allowPrivateAddresses;
    if (guarded && isIP(host) !== 0 && !this.#allowed(host)) {
      return Promise.reject(new ImageFetchError(`${host} is a private or local address`));
    }
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.get(url, {
        headers: { accept: ACCEPT, "user-agent": `open-bedrock/${VERSION}` },
        signal,
        agent: false,
        ...(guarded ? { lookup: guardedLookup(host, this.#allowed) } : {}),
      });
      request.once("response", resolve);
      request.once("error", (error) => reject(this.#explain(error, deadline)));
    });
  }

  async #read(answer: IncomingMessage, url: URL, signal: AbortSignal, deadline: AbortSignal): Promise<FetchedImage> {
    const status = answer.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      answer.resume();
      throw new ImageFetchError(`${url.host} answered HTTP ${status}`);
    }
    const contentType = (answer.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!contentType.startsWith("image/") || formatOfMediaType(contentType) === undefined) {
      answer.resume();
      throw new ImageFetchError(`the content type '${contentType || "none"}' is not one of ${ACCEPT}`);
    }
    const declared = Number(answer.headers["content-length"] ?? "0");
    if (declared > this.policy.maxBytes) {
      answer.destroy();
      throw new ImageFetchError(`the image is larger than ${this.policy.maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of answer) {
        size += (chunk as Buffer).length;
        if (size > this.policy.maxBytes) {
          answer.destroy();
          throw new ImageFetchError(`the image is larger than ${this.policy.maxBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      throw this.#explain(error, deadline);
    }
    if (signal.aborted) throw this.#explain(signal.reason, deadline);
    return { bytes: Buffer.concat(chunks), contentType };
  }

  #explain(error: unknown, deadline: AbortSignal): Error {
    if (error instanceof ImageFetchError) return error;
    if (deadline.aborted) return new ImageFetchError(`no answer within ${this.policy.timeoutMs} ms`);
    if (error instanceof Error && error.name === "AbortError") return error;
    const code = (error as { code?: unknown }).code;
    return new ImageFetchError(
      typeof code === "string" ? `the fetch failed (${code})` : `the fetch failed: ${(error as Error).message}`,
    );
  }
}
