import * as z from 'zod';
import { authorize } from '../core/access/policy';
import type { Principal } from '../core/access/principal';
import { ChainedAuditEvent } from '../core/audit/audit-event';
import {
  changeProgramme,
  createProgramme,
  type ProgrammeDeps,
  type SaveOutcome,
} from '../core/programmes/manage-programmes';
import { impliedBudget, type Programme } from '../core/programmes/programme';
import { FieldChange, ProgrammeDraft } from '../core/programmes/programme-changes';
import { draftFromForm, isProgrammeForm } from '../core/programmes/programme-form';
import { readStanding } from '../core/programmes/standing';
import { findRegency } from '../core/regions/regencies';
import { programmeEntity } from '../adapters/dynamodb-programme-store';
import { programmePage, programmesPage, type ProgrammeHistoryEntry } from '../pages/programme-pages';
import { auditLog } from '../wiring/audit-log';
import { billStore } from '../wiring/bill-store';
import { participantCounts } from '../wiring/participant-counts';
import { forgetProgrammeCatalogue, programmeCatalogue, programmeStore } from '../wiring/programmes';
import { quotaLedger } from '../wiring/quota-ledger';
import { mailer } from '../wiring/mailer';
import { now, once, setting } from '../wiring/settings';
import { bodyFields, html, HttpError, httpHandler, json, principalOf, wantsHtml, type HttpEvent } from './http';

export const wiring = once(() => {
  const sources = { ledger: quotaLedger(), counts: participantCounts(), bills: billStore() };
  const deps: ProgrammeDeps = {
    store: programmeStore(),
    standing: (programme, needed) => readStanding(sources, programme, needed),
    now,
    notices: { mailer: mailer(), ops: [setting('OPS_EMAIL')] },
  };
  return { deps, audit: auditLog() };
});

/** A programme as JSON sends it: the draft, with why it changed and, for a change, the version it was made from. */
const JsonChange = z.object({
  reason: z.string().trim().min(1).optional(),
  expectedVersion: z.number().int().positive(),
});
const JsonCreate = z.object({ reason: z.string().trim().min(1).optional() });

const mayRead = (principal: Principal, p: Programme) =>
  authorize(principal, 'programme:read', { regency: p.regency.code }) === 'allow';
const mayManage = (principal: Principal, regency: string) =>
  authorize(principal, 'programme:manage', { regency }) === 'allow';

/** Whoever may change no programme of their own regency may change none: refused before the body is read. */
function mayWriteAny(principal: Principal) {
  if (!mayManage(principal, principal.regency))
    throw new HttpError(403, 'FORBIDDEN', 'Hanya admin Dinas Sosial yang dapat membuat atau mengubah program.');
}

/** As GET /programmes always answered (approvers' addresses are Dinas Sosial's business, not every reader's). */
const listed = (p: Programme) => ({ ...p, approverEmail: undefined, budget: impliedBudget(p) });

/** The programme's history as its audit trail holds it: who, when, why and what changed. */
async function historyOf(id: string): Promise<ProgrammeHistoryEntry[]> {
  const events: ChainedAuditEvent[] = await wiring().audit.byEntity(programmeEntity(id));
  return events
    .filter((e) => e.action === 'PROGRAMME_CREATED' || e.action === 'PROGRAMME_CHANGED')
    .map((e) => {
      const details = z
        .object({
          version: z.number().optional(),
          reason: z.string().optional(),
          changes: z.array(FieldChange).default([]),
        })
        .parse(e.details ?? {});
      return { action: e.action, actor: e.actor, at: e.at, ...details };
    });
}

function answer(outcome: SaveOutcome, status: number) {
  if (outcome.ok) {
    // This container shows its own change at once; others within the catalogue's 30 seconds.
    forgetProgrammeCatalogue();
    return json(status, {
      programme: outcome.programme,
      changes: outcome.changes,
      message: `Program ${outcome.programme.id} tersimpan sebagai versi ${outcome.programme.version}.`,
      links: { page: `/app/programmes/${encodeURIComponent(outcome.programme.id)}` },
    });
  }
  const { ok: _, status: code, ...rest } = outcome;
  return json(code, { error: rest.code, ...rest });
}

async function create(event: HttpEvent, principal: Principal) {
  const fields = bodyFields(event);
  const regency = findRegency(principal.regency);
  if (isProgrammeForm(fields)) {
    const id = typeof fields.id === 'string' ? fields.id.trim() : '';
    const { draft, reason } = draftFromForm(fields, {
      id,
      regency: { code: principal.regency, name: regency?.name ?? principal.regency },
    });
    return answer(await createProgramme(wiring().deps, principal, { draft, reason }), 201);
  }
  const draft = ProgrammeDraft.parse(fields);
  const { reason } = JsonCreate.parse(fields);
  return answer(await createProgramme(wiring().deps, principal, { draft, reason }), 201);
}

async function change(event: HttpEvent, principal: Principal, id: string) {
  const fields = bodyFields(event);
  if (isProgrammeForm(fields)) {
    const current = (await programmeStore().history(id)).at(-1);
    if (!current || !mayRead(principal, current)) throw new HttpError(404, 'NOT_FOUND', 'Program tidak ditemukan.');
    const { version: _, changedBy: __, changedAt: ___, reason: ____, ...base } = current;
    const { draft, reason, expectedVersion } = draftFromForm(fields, { id, regency: current.regency, base });
    return answer(
      await changeProgramme(wiring().deps, principal, {
        id,
        expectedVersion: expectedVersion ?? current.version,
        draft,
        reason,
      }),
      200,
    );
  }
  const draft = ProgrammeDraft.parse({ ...fields, id });
  const { reason, expectedVersion } = JsonChange.parse(fields);
  return answer(await changeProgramme(wiring().deps, principal, { id, expectedVersion, draft, reason }), 200);
}

/**
 * Programmes for signed-in people (issue 13): the regency's programmes and one programme with its
 * versions and history (every role of the regency); creating and changing one (its regency's admin,
 * through the API or the console's form; PUT and the form's POST are the same change).
 */
export const handler = httpHandler(async (event) => {
  const principal = principalOf(event);
  switch (event.routeKey) {
    case 'GET /programmes': {
      const programmes = (await programmeCatalogue()).all().filter((p) => mayRead(principal, p));
      if (wantsHtml(event)) {
        const regency = findRegency(principal.regency);
        return html(
          200,
          programmesPage({
            programmes,
            create: mayManage(principal, principal.regency)
              ? { regency: { code: principal.regency, name: regency?.name ?? principal.regency } }
              : undefined,
          }),
        );
      }
      return json(200, { programmes: programmes.map(listed) });
    }
    case 'GET /programmes/{id}': {
      const id = event.pathParameters?.id ?? '';
      const versions = await programmeStore().history(id);
      const current = versions.at(-1);
      if (!current || !mayRead(principal, current)) throw new HttpError(404, 'NOT_FOUND', 'Program tidak ditemukan.');
      const history = await historyOf(id);
      const manage = mayManage(principal, current.regency.code);
      if (wantsHtml(event)) return html(200, programmePage({ programme: current, history, mayManage: manage }));
      return json(200, {
        programme: manage ? current : { ...current, approverEmail: undefined },
        budget: impliedBudget(current),
        versions: versions.map((v) => ({
          version: v.version,
          changedBy: v.changedBy,
          changedAt: v.changedAt,
          reason: v.reason,
        })),
        history,
      });
    }
    case 'POST /programmes':
      mayWriteAny(principal);
      return create(event, principal);
    case 'PUT /programmes/{id}':
    case 'POST /programmes/{id}':
      mayWriteAny(principal);
      return change(event, principal, event.pathParameters?.id ?? '');
    default:
      throw new HttpError(404, 'NOT_FOUND', 'Alamat tidak dikenal.');
  }
});
