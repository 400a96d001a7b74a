import { type CalendarDate } from '../contributions/calendar';
import { rulesFor, type BenefitRules } from './benefit-rules';
import { Benefit, type BenefitPart, type ClaimType, type Scholarship } from './claim';

/**
 * What a claim pays, line by line, each line with the rule and the law behind it, so the verifier
 * can check the arithmetic and the family can be told why. Pure: the rule table comes from the
 * event date (benefit-rules.ts), nothing else.
 *
 * The scholarship is not in `total`: it is paid year by year while the children are at school,
 * not with the claim, so the benefit shows what the family may claim, not a sum.
 */

const RUPIAH = new Intl.NumberFormat('id-ID');
export const rupiah = (n: number) => `Rp${RUPIAH.format(n)}`;

export type BenefitInput = {
  type: ClaimType;
  eventDate: CalendarDate;
  /** The monthly income the contributions were declared on (the programme's bracket). */
  declaredIncome: number;
  /**
   * Paid months towards the scholarship: pass the coverage's `continuousPaidMonths`, not its
   * `monthsPaid`. DOMAIN.md says continuous membership matters ("a gap in coverage can cost the
   * family the scholarship"), and `continuousPaidMonths` is the clock coverage.ts keeps for exactly
   * this: months paid since the last break, reset by a lapse under the programme's `reset` rule
   * (the default). Counting total months would promise a family months BPJS may not count.
   */
  paidMonths: number;
  /** JKK only: days the doctor declared the participant unable to work; without them, no STMB line. */
  incapacityDays?: number;
};

/** How the operator and the verifier read a claim type. */
const CLAIM_TYPE_TEXT: Record<ClaimType, string> = {
  JKM: 'JKM (meninggal dunia bukan karena kecelakaan kerja)',
  JKK: 'JKK (kecelakaan kerja)',
  JKK_DEATH: 'JKK meninggal dunia (meninggal karena kecelakaan kerja)',
};

function periodic(r: { periodicMonthly: number; periodicMonths: number }, legalBasis: string): BenefitPart {
  return {
    code: 'PERIODIC',
    label: 'Santunan berkala',
    amount: r.periodicMonthly * r.periodicMonths,
    explanation:
      `${r.periodicMonths} x ${rupiah(r.periodicMonthly)}, dibayarkan sekaligus ` +
      `(${rupiah(r.periodicMonthly * r.periodicMonths)}); ${legalBasis}.`,
  };
}

function funeral(amount: number, legalBasis: string): BenefitPart {
  return { code: 'FUNERAL', label: 'Biaya pemakaman', amount, explanation: `${rupiah(amount)}; ${legalBasis}.` };
}

function jkmParts(rules: BenefitRules): BenefitPart[] {
  const { jkm, legalBasis } = rules;
  return [
    {
      code: 'LUMP_SUM',
      label: 'Santunan sekaligus',
      amount: jkm.lumpSum,
      explanation: `Santunan kematian sekaligus ${rupiah(jkm.lumpSum)}; ${legalBasis}.`,
    },
    periodic(jkm, legalBasis),
    funeral(jkm.funeral, legalBasis),
  ];
}

function jkkDeathParts(rules: BenefitRules, income: number): BenefitPart[] {
  const { jkkDeath, jkm, legalBasis } = rules;
  const multiple = jkkDeath.incomeMultiple * income;
  const floor = jkkDeath.atLeastJkmLumpSum ? jkm.lumpSum : 0;
  const lumpSum = Math.max(multiple, floor);
  const arithmetic = `${jkkDeath.incomeMultiple} x upah yang dilaporkan ${rupiah(income)} = ${rupiah(multiple)}`;
  return [
    {
      code: 'JKK_DEATH_LUMP_SUM',
      label: 'Santunan kematian karena kecelakaan kerja',
      amount: lumpSum,
      explanation:
        lumpSum > multiple
          ? `${arithmetic}, kurang dari santunan sekaligus JKM ${rupiah(floor)}; dibayar paling sedikit ` +
            `${rupiah(floor)}; ${legalBasis}.`
          : `${arithmetic}; ${legalBasis}.`,
    },
    periodic(jkkDeath, legalBasis),
    funeral(jkkDeath.funeral, legalBasis),
  ];
}

/**
 * STMB, a month counted as 30 days: 100% of declared income for the first 12 months (360 days),
 * then 50% until recovery (DOMAIN.md, PP 82/2019 Lampiran III). DOMAIN.md states the pay by the
 * month; BPJS pays it for the days the doctor certifies, so the daily rate is the monthly one / 30.
 */
function temporaryIncapacity(rules: BenefitRules, income: number, days: number): BenefitPart {
  const { fullPayMonths, fullPayBasisPoints, thenBasisPoints } = rules.temporaryIncapacity;
  const fullDays = Math.min(days, fullPayMonths * 30);
  const laterDays = days - fullDays;
  const amount =
    Math.round((income * fullDays * fullPayBasisPoints) / (30 * 10_000)) +
    Math.round((income * laterDays * thenBasisPoints) / (30 * 10_000));
  const percent = (bp: number) => `${bp / 100}%`;
  return {
    code: 'TEMPORARY_INCAPACITY',
    label: 'Santunan sementara tidak mampu bekerja (STMB)',
    amount,
    explanation:
      `${days} hari tidak mampu bekerja: ${percent(fullPayBasisPoints)} dari upah yang dilaporkan ` +
      `${rupiah(income)} sebulan (dihitung per hari, sebulan 30 hari) untuk ${fullPayMonths} bulan pertama` +
      (laterDays > 0 ? `, lalu ${percent(thenBasisPoints)} untuk ${laterDays} hari berikutnya` : '') +
      `; ${rules.legalBasis}.`,
  };
}

function jkkParts(rules: BenefitRules, income: number, incapacityDays: number | undefined): BenefitPart[] {
  const parts: BenefitPart[] = [
    {
      code: 'MEDICAL_CARE',
      label: 'Perawatan dan pengobatan',
      amount: 0,
      explanation:
        'Sesuai kebutuhan medis, tanpa batas biaya. BPJS Ketenagakerjaan membayarnya langsung ke rumah ' +
        `sakit atau klinik, bukan ke peserta, sehingga tidak dihitung dalam jumlah klaim ini; ${rules.legalBasis}.`,
    },
  ];
  if (incapacityDays) parts.push(temporaryIncapacity(rules, income, incapacityDays));
  return parts;
}

function scholarshipFor(rules: BenefitRules, type: 'JKM' | 'JKK_DEATH', paidMonths: number): Scholarship {
  const s = rules.scholarship;
  const needed = s.paidMonthsForNonWorkDeath;
  const eligible = type === 'JKK_DEATH' || paidMonths >= needed;
  const reason =
    type === 'JKK_DEATH'
      ? `Meninggal karena kecelakaan kerja: beasiswa tanpa syarat masa iuran; ${rules.legalBasis}.`
      : eligible
        ? `Iuran sudah dibayar ${paidMonths} bulan berturut-turut (syarat ${needed} bulan); ${rules.legalBasis}.`
        : `Iuran baru dibayar ${paidMonths} bulan berturut-turut; beasiswa untuk kematian bukan karena ` +
          `kecelakaan kerja mensyaratkan ${needed} bulan; ${rules.legalBasis}.`;
  return { eligible, reason, maxChildren: s.maxChildren, maxTotal: s.maxTotal, perLevel: s.perLevel };
}

/** The benefit of a claim of `type`, under the rules in force on the event date. */
export function computeBenefit(input: BenefitInput): Benefit {
  const rules = rulesFor(input.eventDate);
  const parts =
    input.type === 'JKM'
      ? jkmParts(rules)
      : input.type === 'JKK_DEATH'
        ? jkkDeathParts(rules, input.declaredIncome)
        : jkkParts(rules, input.declaredIncome, input.incapacityDays);
  return Benefit.parse({
    rulesVersion: rules.version,
    legalBasis: rules.legalBasis,
    computedFor: input.type,
    parts,
    total: parts.reduce((sum, p) => sum + p.amount, 0),
    ...(input.type !== 'JKK' && { scholarship: scholarshipFor(rules, input.type, input.paidMonths) }),
  });
}

/**
 * One sentence for the family's file when BPJS classifies the claim differently (PP 49/2023
 * Ps. 25A: it decides within 30 days whether it was a work accident): the types, the totals, the
 * lines that changed and the scholarship if that changed too.
 */
export function describeReclassification(before: Benefit, after: Benefit): string {
  const from = CLAIM_TYPE_TEXT[before.computedFor];
  const to = CLAIM_TYPE_TEXT[after.computedFor];
  const diff = after.total - before.total;
  const totals =
    diff === 0
      ? `Jumlah manfaat tetap ${rupiah(after.total)}.`
      : `Jumlah manfaat berubah dari ${rupiah(before.total)} menjadi ${rupiah(after.total)} ` +
        `(${diff > 0 ? 'bertambah' : 'berkurang'} ${rupiah(Math.abs(diff))}).`;
  const labels = new Map([...before.parts, ...after.parts].map((p) => [p.code, p.label]));
  const amountOf = (b: Benefit, code: string) => b.parts.find((p) => p.code === code)?.amount ?? 0;
  const lines = [...labels]
    .filter(([code]) => amountOf(before, code) !== amountOf(after, code))
    .map(([code, label]) => `${label} ${rupiah(amountOf(before, code))} menjadi ${rupiah(amountOf(after, code))}`);
  const wasEligible = before.scholarship?.eligible ?? false;
  const isEligible = after.scholarship?.eligible ?? false;
  const scholarship =
    wasEligible && !isEligible
      ? ` Beasiswa anak tidak lagi didapat: ${after.scholarship?.reason ?? 'jenis klaim ini tanpa beasiswa.'}`
      : !wasEligible && isEligible
        ? ` Beasiswa anak kini didapat: ${after.scholarship?.reason}`
        : '';
  return (
    `BPJS Ketenagakerjaan menggolongkan klaim ini sebagai ${to}, bukan ${from}. ${totals}` +
    (lines.length ? ` Rincian: ${lines.join('; ')}.` : '') +
    scholarship
  );
}
