import * as z from 'zod';

/** How a decision may be said: the pages send APPROVED or REJECTED; scripts and people say it in many ways. */
const DECISION_WORDS: Record<string, string> = {
  approve: 'APPROVED',
  approved: 'APPROVED',
  setujui: 'APPROVED',
  disetujui: 'APPROVED',
  reject: 'REJECTED',
  rejected: 'REJECTED',
  tolak: 'REJECTED',
  ditolak: 'REJECTED',
};

/** The form behind a mailed approval link, for proposals and claims alike: the link's code, the decision, a note. */
export const ApprovalDecisionForm = z.object({
  code: z.string().min(1),
  decision: z.preprocess((v) => DECISION_WORDS[String(v).trim().toLowerCase()] ?? v, z.enum(['APPROVED', 'REJECTED'])),
  note: z.string().max(2000).optional(),
});
export type ApprovalDecisionForm = z.infer<typeof ApprovalDecisionForm>;
