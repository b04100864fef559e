/** A tiny real image, and arbitraries of images, for the tests that carry them. */
import fc from "fast-check";

export const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==";
export const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;
/** The PNG as the Bedrock provider's image loader answers it. */
export const PNG = { format: "png", base64: PNG_BASE64 } as const;
/** An image loader that answers the PNG whatever the URL. */
export const anImage = () => PNG;

/** An image as a `data:` URL: the PNG, or a one-pixel GIF. */
export const imageDataUrl = fc.constantFrom(
  PNG_DATA_URL,
  "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
);
