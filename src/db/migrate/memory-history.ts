import { statementChecksum, type ExecResult, type HistoryEntry, type MigrationStorage, type Outcome } from './migration-runner.js';
import type { PlanStep } from './plan-types.js';

/** The history kept in memory: the twin of MysqlHistory for tests of the runner's logic. */
export class MemoryHistory implements MigrationStorage {
  readonly entries: (HistoryEntry & ExecResult)[] = [];

  async unfinished(): Promise<HistoryEntry[]> {
    const open = this.entries.find((e) => e.outcome === 'pending' || e.outcome === 'running');
    return open ? this.entries.filter((e) => e.runId === open.runId).map((e) => ({ ...e })) : [];
  }

  async begin(runId: string, version: string, steps: PlanStep[]): Promise<HistoryEntry[]> {
    return steps.map((step, seq) => {
      const entry = { id: this.entries.length + 1, runId, version, seq, step, checksum: statementChecksum(step.sql), outcome: 'pending' as Outcome };
      this.entries.push(entry);
      return { ...entry };
    });
  }

  async markRunning(entry: HistoryEntry): Promise<void> {
    this.find(entry).outcome = 'running';
  }

  async markDone(entry: HistoryEntry, result: ExecResult): Promise<void> {
    Object.assign(this.find(entry), { outcome: 'done', ...result });
  }

  async markFailed(entry: HistoryEntry, note: string): Promise<void> {
    Object.assign(this.find(entry), { outcome: 'failed', note });
  }

  async abandon(runId: string): Promise<void> {
    for (const e of this.entries) if (e.runId === runId && (e.outcome === 'pending' || e.outcome === 'running')) e.outcome = 'abandoned';
  }

  private find(entry: HistoryEntry) {
    const found = this.entries.find((e) => e.id === entry.id);
    if (!found) throw new Error(`no history entry ${entry.id}`);
    return found;
  }
}
