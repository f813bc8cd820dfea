/** A report or output file the viewer cannot read: its message is shown in the page as it is. */
export class ReportFormatError extends Error {
  override readonly name = 'ReportFormatError' as const;
}

export function fail(message: string): never {
  throw new ReportFormatError(message);
}
