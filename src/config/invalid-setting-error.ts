/** A setting with a wrong value, or without a value it needs. */
export class InvalidSettingError extends Error {
  override name = "InvalidSettingError";
}
