import * as z from 'zod';

/**
 * What the billing workflow passes its tasks (workflows/billing/state-machine.ts builds these). The
 * schedules put `<aws.scheduler.scheduled-time>` in `scheduledTime`: every task works from that
 * instant, not from when it runs, so a late start or a replayed month bills the month it was for.
 */
export const BillingRunInput = z.object({
  run: z.enum(['MONTHLY', 'DAILY']),
  scheduledTime: z.iso.datetime({ offset: true }),
  executionArn: z.string().optional(),
});
export type BillingRunInput = z.infer<typeof BillingRunInput>;

/** A monthly run after its bills were issued: the bills by id, for the steps that follow. */
export const IssuedBillsInput = BillingRunInput.extend({
  bills: z.array(z.object({ programmeId: z.string(), month: z.string().regex(/^\d{4}-\d{2}$/) })),
});
