import { sameSecret } from '../core/proposals/approval-code';
import { approvalActionUrl, consoleUrl } from '../core/proposals/links';
import { decideApproval } from '../core/proposals/use-cases/decide-approval';
import { approvalPage, decisionPage } from '../pages/proposal-pages';
import { ApprovalDecisionForm } from './approval-form';
import { HttpError, html, httpHandler, json, readFields, requestOrigin, wantsHtml } from './http';
import { programmesNow } from './programme-lookup';
import { auditLog } from '../wiring/audit-log';
import { proposalStore } from '../wiring/proposal-store';
import { quotaLedger } from '../wiring/quota-ledger';
import { now, once, setting } from '../wiring/settings';
import { uploadsStore } from '../wiring/uploads';
import { workflowCallbacks } from '../wiring/workflow';

const REFUSALS = {
  NOT_FOUND: [404, 'Usulan tidak ditemukan.'],
  BAD_CODE: [403, 'Tautan persetujuan tidak sah. Gunakan tautan terbaru dari email.'],
  ALREADY_DECIDED: [409, 'Usulan ini sudah diputuskan sebelumnya.'],
  NOT_AWAITING: [409, 'Usulan ini tidak sedang menunggu persetujuan.'],
  EXPIRED: [
    409,
    'Batas waktu persetujuan sudah lewat, sehingga keputusan tidak dapat dicatat. Desa perlu mengunggah ulang usulan.',
  ],
} as const;

export const wiring = once(() => ({
  proposals: proposalStore(),
  audit: auditLog(),
  workflow: workflowCallbacks(),
  ledger: quotaLedger(),
  objects: uploadsStore(),
  now,
  apiUrl: setting('API_URL'),
}));

/** The approval link: GET shows the proposal and the two buttons, POST records the decision. */
export const handler = httpHandler(async (event) => {
  const deps = { ...wiring(), ...(await programmesNow()) };
  const id = event.pathParameters?.id ?? '';
  if (event.requestContext.http.method === 'GET') {
    const p = await deps.proposals.get(id);
    const code = event.queryStringParameters?.code ?? '';
    if (!p || !p.approval || !sameSecret(p.approval.code, code)) {
      return html(
        p ? 403 : 404,
        decisionPage('Tautan tidak berlaku', p ? REFUSALS.BAD_CODE[1] : REFUSALS.NOT_FOUND[1]),
      );
    }
    const self = approvalActionUrl(deps.apiUrl, p.id);
    return html(
      200,
      approvalPage(
        p,
        deps.findProgramme(p.programmeId, p.programmeVersion),
        // The report carries every row whole: the approver opens it signed in, from the console.
        { action: self, report: p.report?.xlsx ? consoleUrl(deps.apiUrl, p.id) : undefined },
        code,
      ),
    );
  }

  const parsed = ApprovalDecisionForm.safeParse(readFields(event));
  if (!parsed.success) {
    const message = 'Keputusan tidak dikenali. Buka kembali tautan dari email lalu tekan tombol Setujui atau Tolak.';
    return wantsHtml(event)
      ? html(400, decisionPage('Keputusan tidak dicatat', message))
      : json(400, { error: 'BAD_REQUEST', message });
  }
  const form = parsed.data;
  if (form.decision === 'REJECTED' && !form.note?.trim()) {
    throw new HttpError(400, 'NOTE_REQUIRED', 'Mohon tuliskan alasan penolakan agar desa dapat memperbaikinya.');
  }
  const result = await decideApproval(deps, { proposalId: id, ...form, origin: requestOrigin(event) });
  if (!result.ok) {
    const [status, message] = REFUSALS[result.reason];
    return wantsHtml(event)
      ? html(status, decisionPage('Keputusan tidak dicatat', message))
      : json(status, { error: result.reason, message, status: result.proposal?.status });
  }
  const message =
    form.decision === 'APPROVED'
      ? 'Usulan disetujui. Pekerja akan diajukan ke BPJS Ketenagakerjaan.'
      : 'Usulan ditolak. Desa akan menerima pemberitahuan beserta catatan Anda.';
  return wantsHtml(event)
    ? html(200, decisionPage('Keputusan dicatat', message))
    : json(200, { proposalId: id, status: result.proposal.status, message });
});
