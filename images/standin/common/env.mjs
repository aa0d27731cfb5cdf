// Env parsing shared by both stand-ins; an empty variable counts as unset, as in the real shell scripts.
export function envString(name, fallback = '') {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

// The real docker-init.sh compares against the literal "true", so "TRUE" or "1" mean false there too.
export function envTrue(name) {
  return envString(name) === 'true';
}

export function envSeconds(name, fallback) {
  const value = Number(envString(name));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function envInt(name, fallback) {
  const value = Number.parseInt(envString(name), 10);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
