import { claimConsoleUrl } from '../core/claims/claim-mails';
import { claimDetail } from '../core/claims/use-cases/claim-views';
import { approverOfCode, BAD_CODE, decideClaimApproval } from '../core/claims/use-cases/decide-claim-approval';
import { claimApprovalPage, claimDecisionPage } from '../pages/claim-pages';
import { auditLog } from '../wiring/audit-log';
import { claimStore } from '../wiring/claim-store';
import { claimsWorkflow } from '../wiring/claims';
import { now, once, setting } from '../wiring/settings';
import { ApprovalDecisionForm } from './approval-form';
import { html, httpHandler, json, readFields, requestOrigin, wantsHtml } from './http';

export const wiring = once(() => ({
  claims: claimStore(),
  audit: auditLog(),
  workflow: claimsWorkflow(),
  now,
  apiUrl: setting('API_URL'),
}));

/**
 * The claim approval link (`/claim-approvals/<claimId>?code=...`), one code per approver, as the
 * proposals' link: GET shows the claim's amounts and checks with the two buttons, POST records the
 * approver's decision (decide-claim-approval.ts) and resumes the workflow.
 */
export const handler = httpHandler(async (event) => {
  const deps = wiring();
  const id = event.pathParameters?.id ?? '';
  const self = new URL(
    `claim-approvals/${encodeURIComponent(id)}`,
    deps.apiUrl.endsWith('/') ? deps.apiUrl : `${deps.apiUrl}/`,
  ).toString();
  if (event.requestContext.http.method === 'GET') {
    const c = await deps.claims.get(id);
    const code = event.queryStringParameters?.code ?? '';
    const approver = c && approverOfCode(c, code);
    if (!c || !approver) {
      return html(
        c ? 403 : 404,
        claimDecisionPage('Tautan tidak berlaku', c ? BAD_CODE.message : 'Klaim tidak ditemukan.'),
      );
    }
    // Masked, as for anyone without a role: the link's holder is known only by the code.
    return html(
      200,
      claimApprovalPage(claimDetail(c, false), { action: self, console: claimConsoleUrl(deps.apiUrl, c.id) }, code),
    );
  }

  const parsed = ApprovalDecisionForm.safeParse(readFields(event));
  if (!parsed.success) {
    const message = 'Keputusan tidak dikenali. Buka kembali tautan dari email lalu tekan tombol Setujui atau Tolak.';
    return wantsHtml(event)
      ? html(400, claimDecisionPage('Keputusan tidak dicatat', message))
      : json(400, { error: 'BAD_REQUEST', message });
  }
  const form = parsed.data;
  const result = await decideClaimApproval(deps, {
    claimId: id,
    approver: { code: form.code },
    decision: form.decision,
    note: form.note,
    origin: requestOrigin(event),
  });
  if (!result.ok) {
    return wantsHtml(event)
      ? html(result.status, claimDecisionPage('Keputusan tidak dicatat', result.message))
      : json(result.status, { error: result.code, message: result.message });
  }
  const message =
    form.decision === 'APPROVED'
      ? 'Persetujuan Anda tercatat. Klaim diajukan ke BPJS Ketenagakerjaan setelah semua persetujuan yang diperlukan lengkap.'
      : 'Klaim ditolak. Desa akan menerima pemberitahuan beserta catatan Anda.';
  return wantsHtml(event)
    ? html(200, claimDecisionPage('Keputusan dicatat', message))
    : json(200, { claimId: id, status: result.claim.status, message });
});
