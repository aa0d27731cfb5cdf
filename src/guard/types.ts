import type { Role } from '../config/types.js';

export type Severity = 'blocking' | 'warning';
export type SourceKind = 'env-file' | 'compose' | 'inventory' | 'shell' | 'container';

/** Where a value really comes from: a file line, the shell, or a live container. */
export interface FindingSource {
  kind: SourceKind;
  file?: string;
  line?: number;
  host?: string;
  container?: string;
}

export interface Finding {
  id: string;
  severity: Severity;
  /** One line; never holds the value of a secret. */
  message: string;
  source: FindingSource;
  /** One line telling the operator what to do. */
  fix: string;
}

export interface GuardReport {
  findings: Finding[];
  blocking: boolean;
}

/** One `KEY=VALUE` of an env file, with the span of the value token so `--fix` can rewrite just that. */
export interface EnvEntry {
  key: string;
  value: string;
  line: number;
}

export interface EnvFileInput {
  file: string;
  /** st_mode of the file, for the readable-password check. */
  mode?: number;
  entries: EnvEntry[];
  /** Kinds of the compose services naming this file in `env_file`; empty for the `.env` in use. */
  usedBy: ServiceKind[];
}

export type ServiceKind = 'framework' | 'node' | 'other';

/** An `environment` entry of a compose service; raw null means "pass the variable through from outside". */
export interface ComposeEnvEntry {
  key: string;
  raw: string | null;
  line: number;
}

export interface ComposeServiceInput {
  name: string;
  kind: ServiceKind;
  line: number;
  environment: ComposeEnvEntry[];
  /** Absolute paths, resolved against the compose file's directory. */
  envFiles: { file: string; line: number }[];
}

export interface ComposeFileInput {
  file: string;
  services: ComposeServiceInput[];
}

export interface InventoryHostInput {
  name: string;
  role?: Role;
  line: number;
  address?: { value: string; line: number };
  env: EnvEntry[];
}

export interface InventoryInput {
  file: string;
  hosts: InventoryHostInput[];
}

export interface ContainerInput {
  host: string;
  role: Role;
  container: string;
  /** Config.Env of `docker inspect`. */
  env: string[];
}

/** Everything the guard judges, already read; `runGuard` does no I/O over it. */
export interface GuardInputs {
  envFile?: EnvFileInput;
  /** Files named by `env_file` in the compose files. */
  namedEnvFiles: EnvFileInput[];
  composeFiles: ComposeFileInput[];
  inventory?: InventoryInput;
  shellEnv: Record<string, string | undefined>;
  containers: ContainerInput[];
  /**
   * Per host name: the variables tars-docker itself hands to compose for that host (SLAVE from the role,
   * INET/DOMAIN/WEB_HOST, ...). They win over every other variable source when the compose files are filled in.
   */
  managedEnv?: Record<string, Record<string, string>>;
  /** Problems met while reading (a missing env_file, YAML that does not parse). */
  problems: Finding[];
}
