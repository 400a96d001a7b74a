import * as z from 'zod';
import { CalendarMonth } from '../contributions/calendar';
import { VILLAGE_CODE } from '../proposals/upload-key';

/**
 * The read API's query parameters. Where a handler parses its query with a schema, it is this one,
 * so what the OpenAPI document says a route takes is what the route reads; the others name the
 * parameters their handler reads one by one.
 */

/** A page of a list is 50 long unless asked otherwise, 200 at most. */
const PAGE_DEFAULT = 50;
const limit = z.coerce.number().int().min(1).max(200).default(PAGE_DEFAULT);
const programmeId = z.string().min(1);
const villageCode = z.string().regex(VILLAGE_CODE).describe('Kode Kemendagri desa/kelurahan, mis. 62.03.01.2011');

export const ProposalsQuery = z.object({
  uploadKey: z.string().optional().describe('Kunci S3 berkas yang diunggah'),
  programmeId: programmeId.optional(),
  villageCode: villageCode.optional(),
});

export const ReportQuery = z.object({
  format: z.enum(['xlsx', 'json']).default('xlsx'),
});

export const ParticipantsQuery = z.object({
  programmeId,
  villageCode,
  cursor: z.string().min(1).optional(),
  limit,
});

export const ParticipantQuery = z.object({ programmeId: programmeId.optional() });

export const BillsQuery = z.object({ programmeId: programmeId.optional() });

export const ClaimsQuery = z.object({
  programmeId: programmeId.optional(),
  villageCode: villageCode.optional(),
  nik: z
    .string()
    .regex(/^\d{16}$/)
    .optional(),
  cursor: z.string().min(1).optional(),
  limit,
});

export const ClaimTotalsQuery = z.object({ programmeId, month: CalendarMonth.optional() });
