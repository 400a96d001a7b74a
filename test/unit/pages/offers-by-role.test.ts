import { describe, expect, it } from 'vitest';
import { actionsOf, mayAnywhere } from '../../../functions/core/access/offers';
import { ACTIONS, authorize, type Action } from '../../../functions/core/access/policy';
import { Role, type Principal } from '../../../functions/core/access/principal';
import { claimDetail, claimRow } from '../../../functions/core/claims/use-cases/claim-views';
import { issueBill, BillTally } from '../../../functions/core/contributions/bill';
import { billDetail } from '../../../functions/core/contributions/contribution-views';
import { indonesianHolidays } from '../../../functions/core/contributions/holidays';
import { findProgramme } from '../../../functions/core/programmes/catalogue';
import { claimPage, claimsPage } from '../../../functions/pages/claim-pages';
import { NAV_LINKS, shellPage, uploadPage } from '../../../functions/pages/console-pages';
import { billPage } from '../../../functions/pages/contribution-pages';
import { proposalPage } from '../../../functions/pages/proposal-pages';
import { claim } from '../claims/fixtures';
import { coverage, PROGRAMME, terms } from '../contributions/fixtures';
import { proposal } from '../proposals/proposal-fixture';

// Issue 11: read-only for auditors means no action on the page. Each page offers an action only to a
// role the policy lets do it; these render the console's pages for every role, deciding the offers
// the way the handlers do (offers.ts, authorize), and look for anything that acts.

const VILLAGE = '62.03.01.2011';
const as = (role: Role, villages: string[] = role === 'operator' ? [VILLAGE] : []): Principal => ({
  id: `id-${role}`,
  username: role,
  roles: [role],
  regency: '62.03',
  villages,
});

/** The navigation links the console's script keeps for the user (app-script.ts `offer`): those /me names. */
const navKept = (p: Principal) => {
  const actions = actionsOf(p);
  const links = [...shellPage().matchAll(/<a href="([^"]+)"(?: data-needs="([^"]+)" hidden)?>/g)];
  expect(links.map((m) => m[1])).toEqual(NAV_LINKS.map((l) => l.href));
  return links.filter(([, , needs]) => !needs || actions.includes(needs as Action)).map(([, href]) => href);
};

/** Anything on a fragment that changes a record: an action form, an upload, a POST form, a button. */
const ACTING = /data-action=|data-upload|data-claim-document|method="post"|<button/;

describe('what the console offers, role by role', () => {
  it('keeps a navigation link for exactly the roles whose policy has its action', () => {
    for (const role of Role.options) {
      const kept = navKept(as(role));
      for (const link of NAV_LINKS) {
        const allowed = !link.needs || role in ACTIONS[link.needs];
        expect({ role, href: link.href, kept: kept.includes(link.href) }).toEqual({
          role,
          href: link.href,
          kept: allowed,
        });
      }
    }
  });

  it('offers the auditor no upload and no claim to file; the operator of a village both', () => {
    expect(navKept(as('auditor'))).toEqual(['/app/home', '/app/search', '/app/dashboard']);
    expect(navKept(as('operator'))).toEqual(
      expect.arrayContaining(['/app/uploads/new', '/app/claims/new', '/app/search']),
    );
    // An operator the admin has not yet given a village can do nothing anywhere: offered nothing to do.
    expect(navKept(as('operator', []))).not.toContain('/app/uploads/new');
    expect(navKept(as('verifier'))).toEqual(expect.arrayContaining(['/app/claims/new']));
    expect(navKept(as('verifier'))).not.toContain('/app/uploads/new');
    // An auditor's actions are reads only.
    expect(actionsOf(as('auditor')).every((a) => /:(read|report|history|documents|bank-account)$/.test(a))).toBe(true);
  });

  it('the claims list offers a new claim only to who may file one', () => {
    const rows = [claimRow(claim({ id: 'clm-1' }))];
    for (const role of Role.options) {
      const p = as(role);
      const html = claimsPage('Klaim', rows, { mayFile: mayAnywhere(p, 'claim:file') });
      expect({ role, offered: html.includes('/app/claims/new') }).toEqual({
        role,
        offered: role === 'operator' || role === 'verifier',
      });
    }
  });

  it('tells only who may upload for the village to fix the rows and upload again', () => {
    const invalid = proposal({ status: 'INVALID', villageCode: VILLAGE });
    for (const role of Role.options) {
      const mayUpload = authorize(as(role), 'proposal:upload', { villageCode: VILLAGE }) === 'allow';
      const html = proposalPage(invalid, findProgramme(invalid.programmeId), { reportXlsx: '/r' }, mayUpload);
      expect({ role, told: html.includes('unggah ulang') }).toEqual({ role, told: role === 'operator' });
    }
  });

  it("the auditor's pages (proposal, bill, claim, claims, upload) carry no form or button that acts", () => {
    const auditor = as('auditor');
    const may = (action: Action) => authorize(auditor, action, { villageCode: VILLAGE }) === 'allow';
    const failed = proposal({ status: 'FAILED', villageCode: VILLAGE });
    const pages = {
      proposal: proposalPage(failed, findProgramme(failed.programmeId), {
        redrive: may('proposal:redrive') ? '/proposals/x/redrive' : undefined,
        cancel: may('proposal:cancel') ? '/proposals/x/cancel' : undefined,
      }),
      bill: billPage(billDetail(bill()), mayAnywhere(auditor, 'bill:pay') ? '/bills/x/payments' : undefined),
      claim: claimPage(claimDetail(awaitingVerification(), true), {
        verify: may('claim:verify') ? '/claims/clm-1/verify' : undefined,
        reject: may('claim:verify') || may('claim:approve') ? '/claims/clm-1/reject' : undefined,
        uploadDocument: may('claim:file') ? '/claims/clm-1/documents' : undefined,
      }),
      claims: claimsPage('Klaim', [], { mayFile: mayAnywhere(auditor, 'claim:file') }),
      upload: uploadPage(auditor, [findProgramme(PROGRAMME)!], []),
    };
    for (const [name, html] of Object.entries(pages))
      expect({ name, acts: ACTING.test(html) }).toEqual({ name, acts: false });
    // The same pages for whom the policy lets act do carry the forms: the check above can fail.
    const verifier = as('verifier');
    const mayVerify = authorize(verifier, 'claim:verify', { villageCode: VILLAGE }) === 'allow';
    expect(
      ACTING.test(claimPage(claimDetail(awaitingVerification(), true), { verify: mayVerify ? '/v' : undefined })),
    ).toBe(true);
  });
});

function bill() {
  const tally = new BillTally(PROGRAMME, '2026-02');
  tally.add(coverage(1));
  return issueBill({
    programme: { id: PROGRAMME, fundingSource: 'APBD', benefits: ['JKK', 'JKM'] },
    tally,
    terms: terms(),
    holidays: indonesianHolidays,
    issuedAt: '2026-02-01T00:05:00Z',
  })!;
}

function awaitingVerification() {
  return { ...claim({ id: 'clm-1', villageCode: VILLAGE }), status: 'AWAITING_VERIFICATION' as const };
}
