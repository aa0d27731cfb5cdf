import type { PlanStep } from './plan-steps.js';

/** What one host's restart came to; history, the summary and the operator's lines all read it. */
export interface HostOutcome {
  name: string;
  outcome: 'restarted' | 'rolled-back' | 'failed';
  downtimeSeconds: number;
}

/** What a run tells while it goes: the executor about its steps, a restart about its host. */
export type RunEvent =
  | { type: 'step-started'; step: PlanStep }
  | { type: 'step-skipped'; step: PlanStep }
  | { type: 'step-progress'; step: PlanStep; detail: string }
  | { type: 'step-done'; step: PlanStep; seconds: number }
  | { type: 'step-failed'; step: PlanStep; seconds: number; error: string }
  | { type: 'host-outcome'; outcome: HostOutcome };

export type RunListener = (e: RunEvent) => void;

/** Hands every event to each listener, in the order they subscribed; a run has one. */
export interface RunEvents {
  emit: RunListener;
  subscribe(listener: RunListener): void;
}

export function runEvents(): RunEvents {
  const listeners: RunListener[] = [];
  return {
    emit: (e) => listeners.forEach((l) => l(e)),
    subscribe: (l) => void listeners.push(l),
  };
}

/** The one place a run's host outcomes are built: from its `host-outcome` events, in the order they came. */
export function collectHostOutcomes(events: RunEvents): HostOutcome[] {
  const hosts: HostOutcome[] = [];
  events.subscribe((e) => {
    if (e.type === 'host-outcome') hosts.push(e.outcome);
  });
  return hosts;
}

export interface StepRecord {
  id: string;
  outcome: 'done' | 'skipped' | 'failed';
  seconds?: number;
}

/** Each step's end as `--json` reports it (the steps a resumed run skipped included), from the step events. */
export function collectStepRecords(events: RunEvents): StepRecord[] {
  const steps: StepRecord[] = [];
  events.subscribe((e) => {
    if (e.type === 'step-done') steps.push({ id: e.step.id, outcome: 'done', seconds: e.seconds });
    if (e.type === 'step-failed') steps.push({ id: e.step.id, outcome: 'failed', seconds: e.seconds });
    if (e.type === 'step-skipped') steps.push({ id: e.step.id, outcome: 'skipped' });
  });
  return steps;
}
