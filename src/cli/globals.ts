/** The flags every command shares, parsed once by the entry point (its own file, so commands need not import main). */
export interface GlobalOptions {
  envFile?: string;
  inventory?: string;
  json: boolean;
  yes: boolean;
  verbose: boolean;
  /** OpenSSH's StrictHostKeyChecking=accept-new for every ssh endpoint. */
  acceptNewHostKeys: boolean;
  /** Where a recorded host key is reported: stderr, as ssh reports it, so --json output stays one document. */
  onHostKeyRecorded: (line: string) => void;
}
