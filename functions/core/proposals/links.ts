/**
 * Addresses Jaring hands out (in mails, pages and the API's answers), built with `new URL` on the
 * API's address so a base with or without a trailing slash, or with a stage path, gives one result.
 */
const under = (apiUrl: string, path: string) => new URL(path, apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);

/** The proposal in the API (JSON, or the page for a browser). */
export const proposalUrl = (apiUrl: string, id: string) => under(apiUrl, `proposals/${id}`).toString();

/**
 * What a person opens from a mail: the console page of the proposal, which asks them to sign in and,
 * if entitled, offers the report. A bare API address would only answer 401 in a browser.
 */
export const consoleUrl = (apiUrl: string, id: string) => under(apiUrl, `app/proposals/${id}`).toString();

/** The console page of a bill, for finance and Dinas Sosial opening a billing mail (the id's `#` encoded). */
export const billConsoleUrl = (apiUrl: string, billId: string) =>
  under(apiUrl, `app/bills/${encodeURIComponent(billId)}`).toString();

/** Where the approval page posts its decision. */
export const approvalActionUrl = (apiUrl: string, id: string) => under(apiUrl, `approvals/${id}`).toString();

/** The link mailed to the approver: the approval page, with the code that proves they received the mail. */
export function approvalUrl(apiUrl: string, id: string, code: string): string {
  const url = under(apiUrl, `approvals/${id}`);
  url.searchParams.set('code', code);
  return url.toString();
}
