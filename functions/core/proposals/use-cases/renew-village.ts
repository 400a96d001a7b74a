import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { AuditLog } from '../../../ports/audit-log';
import type { CoverageStore } from '../../../ports/coverage-store';
import type { ObjectStore } from '../../../ports/object-store';
import type { ParticipantStore } from '../../../ports/participant-store';
import type { UploadGrants } from '../../../ports/upload-grants';
import { authorize } from '../../access/policy';
import { actorOf, type Principal } from '../../access/principal';
import { addDays } from '../../contributions/calendar';
import { monthName, overdueMonths, type Coverage } from '../../contributions/coverage';
import type { Issue } from '../../issues';
import type { Participant } from '../../participants/participant';
import { maskNik } from '../../privacy/mask';
import type { Programme } from '../../programmes/programme';
import { textCell } from '../../spreadsheet/cells';
import type { SheetRow } from '../../spreadsheet/read-proposal-sheet';
import { buildProposalTemplate, type TemplateRow } from '../../spreadsheet/template';
import { validateRow } from '../../validation/rules';
import { UPLOAD_GRANT_METADATA, UPLOAD_URL_SECONDS } from '../upload-grant';
import type { UploadGrant } from '../upload-grant-record';
import { checkUploadKey, PROPOSALS_PREFIX, type VillageInfo } from '../upload-key';

/**
 * A village continues its people into the next period without re-typing them: the participants of
 * the programme that ends become a proposal for the next one, in the template's own columns, put
 * where an operator's upload goes (`proposals/<next>/<village>/perpanjangan-<ending>.xlsx`) with the
 * same upload grant an operator's upload carries. So the enrollment workflow takes it like any
 * upload: validated against the next programme's rules, the quota, the approval by mail; nobody
 * is enrolled by this use case.
 *
 * Who is carried, and why:
 * - ACTIVE, and ENDED by the programme's end from ACTIVE or ARREARS: covered when the period closed.
 * - ARREARS (now, or when the period ended): carried with a warning. The unpaid months are the
 *   regency's debt, not the family's fault, and leaving them out would end the cover a family
 *   depends on; the verifier sees the warning in the answer and in the left-out file.
 * Who is left out, each with a reason in Bahasa Indonesia for the operator:
 * - DECEASED: with the date recorded.
 * - LAPSED (or ended while lapsed): BPJS already holds them non-active for unpaid months; carrying
 *   them silently would hide that. The village may propose them again by a normal upload.
 * - AGED_OUT: the next programme's age limits at its start, the rule its validation applies.
 * - FLAGGED: any other error the next programme's row rules find (the same `validateRow` the
 *   validation runs), so the file that arrives validates rather than failing row by row.
 * - ALREADY_IN_NEXT: already a participant of the next programme (an upload beat the renewal).
 * - NO_RECORD: a coverage without the participant record that holds the person's data.
 */
export const RenewalRequest = z.object({
  villageCode: z.string().min(1).max(20),
  fromProgrammeId: z.string().min(1).max(100),
  toProgrammeId: z.string().min(1).max(100),
});
export type RenewalRequest = z.infer<typeof RenewalRequest>;

const LeftOutReason = z.enum(['DECEASED', 'LAPSED', 'AGED_OUT', 'FLAGGED', 'ALREADY_IN_NEXT', 'NO_RECORD']);
type LeftOutReason = z.infer<typeof LeftOutReason>;

/** What the renewal did: stored beside the proposal and answered to the caller. NIKs masked. */
export const RenewalSummary = z.object({
  villageCode: z.string(),
  fromProgrammeId: z.string(),
  toProgrammeId: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string(),
  uploadKey: z.string(),
  leftOutKey: z.string(),
  carried: z.number().int().nonnegative(),
  /** Carried, with something the verifier should know (arrears). */
  warnings: z.array(z.object({ nik: z.string(), name: z.string(), note: z.string() })),
  leftOut: z.array(z.object({ nik: z.string(), name: z.string(), reason: LeftOutReason, note: z.string() })),
  /** Days between the two periods with no cover, said once for the whole village. */
  gap: z.string().optional(),
});
export type RenewalSummary = z.infer<typeof RenewalSummary>;

export type RenewalDeps = {
  coverages: Pick<CoverageStore, 'byVillage'>;
  participants: Pick<ParticipantStore, 'get'>;
  objects: Pick<ObjectStore, 'put'>;
  grants: Pick<UploadGrants, 'put'>;
  audit: Pick<AuditLog, 'append'>;
  findProgramme: (id: string) => Programme | undefined;
  findVillage: (code: string) => VillageInfo | undefined;
  now: () => Date;
};

export type RenewalResult =
  | { ok: true; summary: RenewalSummary }
  | { ok: false; status: 400 | 403 | 404 | 422; reason: Issue; leftOut?: RenewalSummary['leftOut'] };

export const RENEWALS_PREFIX = 'renewals/';
/** The village's renewals of a programme in the audit trail, as proposals and participants have theirs. */
const villageProgrammeEntity = (programmeId: string, villageCode: string) => `village#${programmeId}#${villageCode}`;

const shownDate = (iso: string) => iso.split('-').reverse().join('-');
const PAGE = 200;

function refuse(status: 400 | 403 | 404 | 422, code: string, message: string): RenewalResult {
  return { ok: false, status, reason: { code, message } };
}

/** The next programme continues the ending one: same regency and source, starting after it ends. */
function checkProgrammes(from: Programme, to: Programme): RenewalResult | undefined {
  if (from.regency.code !== to.regency.code || from.fundingSource !== to.fundingSource)
    return refuse(
      400,
      'RENEWAL_NOT_CONTINUATION',
      `Program ${to.id} bukan kelanjutan ${from.id}: perpanjangan hanya ke program ${from.regency.name} ` +
        `dengan sumber dana yang sama (${from.fundingSource}).`,
    );
  if (to.coverage.start <= from.coverage.end)
    return refuse(
      400,
      'RENEWAL_OVERLAPS',
      `Program ${to.id} mulai ${shownDate(to.coverage.start)}, sebelum ${from.id} berakhir ` +
        `(${shownDate(from.coverage.end)}): perpanjangan hanya ke periode berikutnya.`,
    );
  return undefined;
}

/** The status the coverage stood at when the period closed: an ENDED coverage's status before it ended. */
function standing(c: Coverage) {
  if (c.status !== 'ENDED') return c.status;
  return c.history.findLast((h) => h.to === 'ENDED')?.from ?? 'ACTIVE';
}

/** A participant record as the row an operator would have typed (text cells, as in a CSV). */
function sheetRowOf(p: Participant, row: number): SheetRow {
  const cells: SheetRow['cells'] = {
    nik: textCell(p.nik),
    name: textCell(p.name),
    birthDate: textCell(shownDate(p.birthDate)),
    sex: textCell(p.sex),
    occupation: textCell(p.occupation),
    ...(p.address && { address: textCell(p.address) }),
    ...(p.phone && { phone: textCell(p.phone) }),
    ...(p.dtsenDecile !== undefined && { dtsenDecile: textCell(String(p.dtsenDecile)) }),
  };
  return { row, cells, original: new Map() };
}

function templateRowOf(p: Participant): TemplateRow {
  return {
    nik: p.nik,
    name: p.name,
    birthDate: shownDate(p.birthDate),
    sex: p.sex,
    occupation: p.occupation,
    ...(p.address && { address: p.address }),
    ...(p.phone && { phone: p.phone }),
    ...(p.dtsenDecile !== undefined && { dtsenDecile: p.dtsenDecile }),
  };
}

export async function renewVillage(
  deps: RenewalDeps,
  principal: Principal,
  request: RenewalRequest,
): Promise<RenewalResult> {
  const { villageCode, fromProgrammeId, toProgrammeId } = request;
  const decision = authorize(principal, 'renewal:request', { villageCode });
  if (decision === 'hide') return refuse(404, 'VILLAGE_NOT_FOUND', `Desa/kelurahan ${villageCode} tidak ditemukan.`);
  if (decision === 'deny')
    return refuse(403, 'RENEWAL_NOT_ALLOWED', `Akun Anda tidak dapat meminta perpanjangan untuk ${villageCode}.`);
  const from = deps.findProgramme(fromProgrammeId);
  const to = deps.findProgramme(toProgrammeId);
  if (!from || !to)
    return refuse(
      404,
      'UPLOAD_UNKNOWN_PROGRAMME',
      `Program "${from ? toProgrammeId : fromProgrammeId}" tidak dikenal.`,
    );
  const mismatch = checkProgrammes(from, to);
  if (mismatch) return mismatch;
  const fileName = `perpanjangan-${from.id}.xlsx`;
  const uploadKey = `${PROPOSALS_PREFIX}${to.id}/${villageCode}/${fileName}`;
  // The checks an upload meets on arrival (village of the regency, no APBDes for a kelurahan), now.
  const check = checkUploadKey(uploadKey, deps);
  if (!check.ok) return { ok: false, status: 400, reason: check.reason };

  const rows: TemplateRow[] = [];
  const warnings: RenewalSummary['warnings'] = [];
  const leftOut: RenewalSummary['leftOut'] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.coverages.byVillage(from.id, villageCode, { limit: PAGE, cursor });
    for (const c of page.items) {
      const nik = maskNik(c.nik);
      const person = await deps.participants.get(from.id, c.nik);
      const name = person?.name ?? '-';
      const out = (reason: LeftOutReason, note: string) => leftOut.push({ nik, name, reason, note });
      const status = standing(c);
      if (status === 'DECEASED') {
        out('DECEASED', c.history.findLast((h) => h.to === 'DECEASED')?.note ?? 'Meninggal dunia.');
        continue;
      }
      if (status === 'LAPSED') {
        const months = overdueMonths(c).map(monthName).join(', ');
        out(
          'LAPSED',
          `Kepesertaan nonaktif karena iuran belum dibayar (${months}). Bila tunggakan sudah diselesaikan ` +
            `dan pekerja tetap memenuhi syarat, usulkan kembali melalui unggahan biasa.`,
        );
        continue;
      }
      if (!person) {
        out('NO_RECORD', 'Data peserta (nama, tanggal lahir) tidak ditemukan; usulkan melalui unggahan biasa.');
        continue;
      }
      if (await deps.participants.get(to.id, c.nik)) {
        out('ALREADY_IN_NEXT', `Sudah menjadi peserta program ${to.id}.`);
        continue;
      }
      const verdict = validateRow(sheetRowOf(person, rows.length + 2), to);
      const ageIssue = verdict.errors.find((e) => e.code === 'AGE_OUT_OF_RANGE');
      if (ageIssue) {
        out('AGED_OUT', ageIssue.message);
        continue;
      }
      if (verdict.errors.length > 0) {
        out('FLAGGED', verdict.errors.map((e) => e.message).join(' '));
        continue;
      }
      if (status === 'ARREARS') {
        const months = overdueMonths(c).map(monthName).join(', ');
        warnings.push({
          nik,
          name,
          note:
            `Iuran ${months || 'sebelumnya'} pada program ${from.id} belum lunas; tetap diusulkan agar ` +
            `perlindungan keluarga tidak terputus. Mohon tunggakan diselesaikan.`,
        });
      }
      rows.push(templateRowOf(person));
    }
    cursor = page.cursor;
  } while (cursor);

  if (rows.length === 0)
    return {
      ok: false,
      status: 422,
      reason: {
        code: 'RENEWAL_NOBODY_TO_CARRY',
        message: `Tidak ada peserta ${from.id} di ${check.village.name} yang dapat diperpanjang ke ${to.id}.`,
      },
      leftOut,
    };

  const now = deps.now();
  const at = now.toISOString();
  const dayAfter = addDays(from.coverage.end, 1);
  const summary = RenewalSummary.parse({
    villageCode,
    fromProgrammeId: from.id,
    toProgrammeId: to.id,
    requestedAt: at,
    requestedBy: actorOf(principal),
    uploadKey,
    leftOutKey: `${RENEWALS_PREFIX}${to.id}/${villageCode}/left-out.json`,
    carried: rows.length,
    warnings,
    leftOut,
    ...(to.coverage.start > dayAfter && {
      gap:
        `Tidak ada perlindungan dari ${shownDate(dayAfter)} sampai ${shownDate(addDays(to.coverage.start, -1))}, ` +
        `di antara kedua program.`,
    }),
  });
  await deps.objects.put(summary.leftOutKey, JSON.stringify(summary, null, 2), 'application/json; charset=utf-8');

  // The grant an operator's upload would carry: register-upload names the uploader from it and the
  // workflow mails them the report, so the requester hears about this proposal like their own.
  const grant: UploadGrant = {
    uploadKey,
    grantId: randomBytes(16).toString('base64url'),
    programmeId: to.id,
    villageCode,
    fileName,
    userId: principal.id,
    username: principal.username,
    email: principal.email,
    actor: actorOf(principal),
    grantedAt: at,
    expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  };
  await deps.grants.put(grant);
  await deps.objects.put(
    uploadKey,
    await buildProposalTemplate(to, rows),
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    { [UPLOAD_GRANT_METADATA]: grant.grantId },
  );
  const counts: Record<string, number> = {};
  for (const l of leftOut) counts[l.reason] = (counts[l.reason] ?? 0) + 1;
  await deps.audit.append({
    entity: villageProgrammeEntity(to.id, villageCode),
    action: 'RENEWAL_REQUESTED',
    actor: summary.requestedBy,
    at,
    details: {
      fromProgrammeId: from.id,
      toProgrammeId: to.id,
      uploadKey,
      leftOutKey: summary.leftOutKey,
      carried: rows.length,
      withArrears: warnings.length,
      leftOut: counts,
    },
  });
  return { ok: true, summary };
}
