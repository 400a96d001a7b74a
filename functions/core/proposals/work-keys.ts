/** Where a proposal's work files and reports live in the uploads bucket (rows never travel through the workflow). */
export const reportKeys = (proposalId: string) => ({
  json: `reports/${proposalId}/report.json`,
  xlsx: `reports/${proposalId}/report.xlsx`,
});
export const workersKey = (proposalId: string) => `work/${proposalId}/workers.jsonl`;
export const bpjsResultsKey = (proposalId: string) => `work/${proposalId}/bpjs-results.jsonl`;
/** BPJS's answer to one batch, kept as soon as it is known: the record of what BPJS registered. */
export const bpjsBatchKey = (proposalId: string, batchNo: number) =>
  `work/${proposalId}/bpjs/batch-${String(batchNo).padStart(5, '0')}.json`;
