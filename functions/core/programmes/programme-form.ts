import * as z from 'zod';
import { Benefit, FundingSource } from './programme';
import { ProgrammeDraft } from './programme-changes';

/**
 * The console's programme form (functions/pages/programme-pages.ts): flat text fields, as the
 * console's script posts them, made into a draft. A field the form does not carry (rate changes,
 * sources) keeps the value of the version being edited; a new programme starts from none.
 */

const text = z.string().trim();
const optionalText = text.optional().transform((v) => (v ? v : undefined));
const whole = z.coerce.number().int();
const percent = z.coerce.number();

const ProgrammeForm = z.object({
  form: z.literal('programme'),
  id: optionalText,
  expectedVersion: z.coerce.number().int().nonnegative().optional(),
  reason: optionalText,
  name: text.min(1),
  fundingSource: FundingSource,
  legalBasis: optionalText,
  legalBasisTitle: optionalText,
  legalBasisNumber: optionalText,
  legalBasisUrl: optionalText,
  quotaScope: z.enum(['programme', 'desa']),
  quotaLimit: whole,
  coverageStart: text,
  coverageEnd: text,
  declaredMonthlyIncome: whole,
  jkkPercentOfIncome: percent,
  jkmMonthly: whole,
  jhtPercentOfIncome: percent,
  jpMonthly: whole.default(0),
  jpEnabled: z.string().optional(),
  ageMin: whole,
  ageMax: whole,
  occupations: text,
  dtsenDecileThreshold: whole,
  approverEmail: text,
  approvalTimeoutDays: whole,
  lapseAfterUnpaidMonths: whole,
  ...Object.fromEntries(Benefit.options.map((b) => [`benefit${b}`, z.string().optional()])),
});

/** Whether the fields a request sent are the console's form (its hidden `form` field) rather than JSON. */
export const isProgrammeForm = (fields: Record<string, unknown>) => fields.form === 'programme';

/**
 * The draft a form describes, for `regency`, over `base` (the version edited). Throws a ZodError for a
 * field that is not what the form asks, which the API answers as a 400 naming the fields.
 */
export function draftFromForm(
  fields: Record<string, unknown>,
  context: { id: string; regency: { code: string; name: string }; base?: ProgrammeDraft },
): { draft: ProgrammeDraft; reason?: string; expectedVersion?: number } {
  const f = ProgrammeForm.parse(fields);
  const checked = (name: string) => typeof fields[name] === 'string' && fields[name] !== '';
  const draft = ProgrammeDraft.parse({
    ...context.base,
    id: context.id,
    name: f.name,
    regency: context.regency,
    fundingSource: f.fundingSource,
    legalBasis: f.legalBasis,
    legalBasisDocument: f.legalBasisTitle
      ? { title: f.legalBasisTitle, number: f.legalBasisNumber, url: f.legalBasisUrl }
      : undefined,
    quota:
      f.quotaScope === 'programme'
        ? { scope: 'programme', limit: f.quotaLimit }
        : { scope: 'desa', limitPerDesa: f.quotaLimit },
    coverage: { start: f.coverageStart, end: f.coverageEnd },
    benefits: Benefit.options.filter((b) => checked(`benefit${b}`)),
    declaredMonthlyIncome: f.declaredMonthlyIncome,
    rates: {
      jkkPercentOfIncome: f.jkkPercentOfIncome,
      jkmMonthly: f.jkmMonthly,
      jhtPercentOfIncome: f.jhtPercentOfIncome,
      jpMonthly: f.jpMonthly,
    },
    jpEnabled: checked('jpEnabled'),
    ageLimits: { min: f.ageMin, max: f.ageMax },
    occupations: f.occupations
      .split(/[,\n]/)
      .map((o) => o.trim())
      .filter(Boolean),
    dtsenDecileThreshold: f.dtsenDecileThreshold,
    approverEmail: f.approverEmail,
    approvalTimeoutDays: f.approvalTimeoutDays,
    lapseAfterUnpaidMonths: f.lapseAfterUnpaidMonths,
  });
  return { draft, reason: f.reason, expectedVersion: f.expectedVersion };
}
