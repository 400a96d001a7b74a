import type { Mailer } from '../../../ports/mailer';
import type { ProposalStore } from '../../../ports/proposal-store';
import { maskNik } from '../../privacy/mask';
import type { ProposalStatus } from '../../proposals/proposal';
import type { Bill } from '../bill';
import { villageOverdueMail } from '../billing-mails';
import type { Coverage, familiesAtRisk } from '../coverage';

export type VillageOperatorDeps = {
  proposals: Pick<ProposalStore, 'findByProgrammeVillage'>;
  mailer: Mailer;
  apiUrl: string;
};

const ENROLLED: readonly ProposalStatus[] = ['ENROLLED', 'PARTIALLY_ENROLLED'];

/**
 * The operator of a village in a programme: the address recorded with the village's latest enrolled
 * proposal that has one. Only a signed-in upload records it (register-upload.ts: the S3 metadata
 * claim is never mailed), so an upload by Dinas Sosial's own script in between carries no address and
 * does not silence the operator who enrolled the people before. A village whose people no operator
 * uploaded has no one to tell here; the notice to Dinas Sosial covers it.
 */
async function villageOperator(
  proposals: VillageOperatorDeps['proposals'],
  programmeId: string,
  villageCode: string,
): Promise<string | undefined> {
  // Newest upload first (the port's order).
  const found = await proposals.findByProgrammeVillage(programmeId, villageCode);
  return found.find((p) => ENROLLED.includes(p.status) && p.operatorEmail)?.operatorEmail;
}

/**
 * Each village on an overdue bill hears from Jaring about its own families only: its participants in
 * ARREARS (NIK masked) and those lapsed. `after` are the bill's coverages as the due date left them.
 * Returns the villages told; one proposal query per village (Kapuas has ~200, a bill names those with
 * participants).
 */
export async function notifyVillageOperators(
  deps: VillageOperatorDeps,
  bill: Bill,
  risk: ReturnType<typeof familiesAtRisk>,
  after: readonly Coverage[],
): Promise<string[]> {
  const told: string[] = [];
  for (const villageCode of [...new Set(after.map((c) => c.villageCode))].sort()) {
    const inArrears = risk.participants.filter((p) => p.villageCode === villageCode);
    const lapsed = after.filter((c) => c.villageCode === villageCode && c.status === 'LAPSED');
    if (inArrears.length === 0 && lapsed.length === 0) continue;
    const operator = await villageOperator(deps.proposals, bill.programmeId, villageCode);
    if (!operator) continue;
    const village = { villageCode, inArrears, lapsed: lapsed.map((c) => maskNik(c.nik)) };
    await deps.mailer.send(villageOverdueMail(bill, village, operator, deps.apiUrl));
    told.push(villageCode);
  }
  return told;
}
