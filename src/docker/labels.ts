/**
 * The labels the compose files (compose/*.yml) put on every container tars-docker makes: how it recognises its own
 * containers and which host of the inventory each one serves.
 */
export const LABEL = {
  project: 'io.tars-docker.project',
  host: 'io.tars-docker.host',
  role: 'io.tars-docker.role',
  version: 'io.tars-docker.version',
} as const;
