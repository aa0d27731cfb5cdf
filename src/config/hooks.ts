import { z } from 'zod';

/** The moments of a rollout an operator can attach a command to (inventory `hooks:`). */
export const HOOK_NAMES = ['pre-upgrade', 'pre-host', 'post-host', 'post-upgrade'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export interface HookSpec {
  /** Run by /bin/sh on the operator's machine, in the inventory's folder. */
  command: string;
  timeoutSeconds: number;
}

export type Hooks = Partial<Record<HookName, HookSpec>>;

export const DEFAULT_HOOK_TIMEOUT_SECONDS = 120;

/** A hook is a command line, or `{command, timeout}` with the timeout in seconds (1-86400). */
const HookValue = z.union([
  z.string().trim().min(1, 'must be a command'),
  z
    .object({
      command: z.string().trim().min(1, 'must be a command'),
      timeout: z.number().int('must be whole seconds').min(1, 'must be 1-86400 seconds').max(86_400, 'must be 1-86400 seconds').optional(),
    })
    .strict(),
]);

export const HooksSchema = z
  .object(Object.fromEntries(HOOK_NAMES.map((n) => [n, HookValue.optional()])) as Record<HookName, z.ZodOptional<typeof HookValue>>)
  .strict();

export function hooksOf(parsed: z.infer<typeof HooksSchema> | undefined): Hooks {
  const out: Hooks = {};
  for (const name of HOOK_NAMES) {
    const v = parsed?.[name];
    if (v === undefined) continue;
    out[name] = typeof v === 'string'
      ? { command: v, timeoutSeconds: DEFAULT_HOOK_TIMEOUT_SECONDS }
      : { command: v.command, timeoutSeconds: v.timeout ?? DEFAULT_HOOK_TIMEOUT_SECONDS };
  }
  return out;
}
