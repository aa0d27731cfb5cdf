export { parseVersionTag, isVersionTag, compareVersionTagsDesc, type VersionTag } from './parse.js';
export { candidateVersions, newestVersion, validatePolicy, type VersionPolicy } from './policy.js';
export { hostVerdict, tagMoved, short, type Verdict, type VerdictInput, type VerdictResult } from './verdict.js';
export {
  buildCheckReport,
  checkExitCode,
  imageReport,
  type CheckReport,
  type HostObservation,
  type HostReport,
  type ImageObservation,
  type ImageReport,
} from './check-report.js';
export { runCheck, type CheckInput } from './run-check.js';
