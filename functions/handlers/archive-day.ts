import * as z from 'zod';
import { addDays, archiveDay, Day, utcDay } from '../core/audit/archive';
import { auditLog } from '../wiring/audit-log';
import { auditArchive } from '../wiring/audit-archive';
import { logger } from '../wiring/observability';
import { once } from '../wiring/settings';
import { taskHandler } from './task-handler';

/**
 * The daily schedule's input (`scheduledTime`, filled in by Scheduler): the UTC day before it is
 * archived. `day` archives that day instead, for a back-fill or a test.
 */
const ArchiveDayInput = z.object({ day: Day.optional(), scheduledTime: z.iso.datetime({ offset: true }).optional() });

export const wiring = once(() => ({ store: auditArchive(), audit: auditLog() }));

export const handler = taskHandler(ArchiveDayInput, async (input) => {
  const day = input.day ?? addDays(utcDay(input.scheduledTime ? new Date(input.scheduledTime) : new Date()), -1);
  const result = await archiveDay(wiring(), day);
  logger.info('Day archived', { day, ...result });
  return { day, ...result };
});
