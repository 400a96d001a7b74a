/**
 * The file as a whole cannot be read as a proposal (wrong format, no header, too big ...).
 * `code` is stable for machines; `message` is Bahasa Indonesia for the operator: what is wrong
 * and what to upload instead.
 */
export class SheetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SheetError';
  }
}
