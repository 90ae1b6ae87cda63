/** Malformed exposition text; `line` is 1-based. */
export class ExpositionParseError extends Error {
  override readonly name = 'ExpositionParseError';
  constructor(
    readonly line: number,
    detail: string,
    text: string,
  ) {
    super(`line ${line}: ${detail}: ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)}`);
  }
}
