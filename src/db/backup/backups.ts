/** The backup use cases the CLI calls: `backup create|list|verify|restore`. */
export { createBackup, type BackupOptions } from './backup.js';
export { listBackups, readManifest, type BackupManifest, type BackupDatabase, type BackupTable } from './backup-manifest.js';
export { verifyBackup, type BackupProblem } from './backup-read.js';
export { restoreBackup, type RestoreOptions, type RestoredTable } from './restore.js';
