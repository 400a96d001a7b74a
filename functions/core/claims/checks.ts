import { addDays, jakartaDate, type CalendarDate } from '../contributions/calendar';
import { monthName, type Coverage, type CoverageChange, type CoverageStatus } from '../contributions/coverage';
import type { Participant } from '../participants/participant';
import type { ClaimSettings } from './claim-settings';
import type { Claim, ClaimFiling, ClaimIssue, ClaimStatus, ClaimType } from './claim';
import { checkHeirs } from './heirs';

/**
 * Whether a claim may go ahead, as it is filed: every reason at once, so the operator fixes the
 * filing in one go. A REFUSAL stops the claim; a WARNING travels with it to the verifier (a late
 * JKK report, a death in arrears Dinas Sosial must settle). Codes are stable; messages in Indonesian.
 */

export type ClaimCheckInput = {
  filing: ClaimFiling;
  /** The participant the filing's NIK or KPJ found; none, not a participant. */
  participant?: Pick<Participant, 'nik' | 'coverageStart' | 'coverageEnd'>;
  /** The participant's coverage under the programme, for the status on the event date. */
  coverage?: Coverage;
  /** Every claim filed before for the same person, whatever their status. */
  earlierClaims: readonly Claim[];
  now: Date;
  settings: ClaimSettings;
};

const DEATH_TYPES: readonly ClaimType[] = ['JKM', 'JKK_DEATH'];
const JKK_TYPES: readonly ClaimType[] = ['JKK', 'JKK_DEATH'];
/** A claim in one of these is over without a benefit, so it does not stand in a new one's way. */
const CLOSED_WITHOUT_BENEFIT: readonly ClaimStatus[] = ['REFUSED', 'REJECTED', 'REFUSED_BY_BPJS'];

const STATUS_TEXT: Record<ClaimStatus, string> = {
  REFUSED: 'ditolak pemeriksaan',
  WAITING_FOR_DOCUMENTS: 'menunggu dokumen',
  AWAITING_VERIFICATION: 'menunggu verifikasi',
  AWAITING_APPROVAL: 'menunggu persetujuan',
  REJECTED: 'ditolak',
  SUBMITTED_TO_BPJS: 'diajukan ke BPJS',
  REFUSED_BY_BPJS: 'ditolak BPJS',
  PAYOUT_FAILED: 'pembayaran gagal',
  PAID: 'sudah dibayar',
};

const DATE = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
/** `2026-03-10` -> `10 Maret 2026`. */
const dateText = (d: CalendarDate) => DATE.format(new Date(`${d}T00:00:00Z`));

/**
 * The coverage's status on a day: the last change recorded on or before it (Jakarta days), the
 * status at enrolment if the record starts later. The death itself (DIED) is not the status the
 * death happened in, so it is skipped.
 */
export function coverageOn(coverage: Coverage, day: CalendarDate): { status: CoverageStatus; change: CoverageChange } {
  const changes = coverage.history.filter((c) => c.reason !== 'DIED');
  const before = changes.filter((c) => jakartaDate(new Date(c.at)) <= day);
  const change = before.at(-1) ?? changes[0] ?? coverage.history[0]!;
  return { status: change.to, change };
}

/** The same day `years` later; 29 February goes to 1 March, the later reading. */
function yearsAfter(day: CalendarDate, years: number): CalendarDate {
  const same = `${String(Number(day.slice(0, 4)) + years).padStart(4, '0')}${day.slice(4)}`;
  return day.endsWith('-02-29') && !isLeapYear(Number(same.slice(0, 4))) ? addDays(same.slice(0, 8) + '28', 1) : same;
}
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function coverageIssues(input: ClaimCheckInput, start: CalendarDate, end: CalendarDate): ClaimIssue[] {
  const { filing, coverage, settings } = input;
  if (filing.eventDate < start || filing.eventDate > end) {
    return [
      {
        code: 'OUTSIDE_COVERAGE',
        severity: 'REFUSAL',
        message:
          `Tanggal kejadian ${dateText(filing.eventDate)} di luar masa perlindungan peserta ` +
          `(${dateText(start)} s.d. ${dateText(end)}). Periksa tanggal kejadian.`,
      },
    ];
  }
  if (!coverage) return [];
  const { status, change } = coverageOn(coverage, filing.eventDate);
  const unpaid = change.months.length ? ` (iuran ${change.months.map(monthName).join(', ')} belum dibayar)` : '';
  const death = DEATH_TYPES.includes(filing.type);
  if (status === 'LAPSED') {
    const refuse = settings.eventWhileLapsed === 'REFUSE';
    return [
      {
        code: 'COVERAGE_LAPSED',
        severity: refuse ? 'REFUSAL' : 'WARNING',
        message:
          `Pada ${dateText(filing.eventDate)} kepesertaan sedang nonaktif karena tunggakan${unpaid}: ` +
          `BPJS Ketenagakerjaan kemungkinan tidak membayar klaim ${death ? 'kematian' : 'kecelakaan kerja'} ini.` +
          (refuse ? ' Klaim tidak dapat diajukan; hubungi Dinas Sosial.' : ' Dinas Sosial perlu memeriksanya.'),
      },
    ];
  }
  if (status === 'ARREARS') {
    const refuse = death && settings.deathInArrears === 'REFUSE';
    return [
      {
        code: death ? 'DEATH_IN_ARREARS' : 'ACCIDENT_IN_ARREARS',
        severity: refuse ? 'REFUSAL' : 'WARNING',
        message:
          `Pada ${dateText(filing.eventDate)} peserta menunggak iuran${unpaid}. Kepesertaan masih aktif, ` +
          'tetapi Dinas Sosial perlu melunasi tunggakan agar klaim tidak ditolak BPJS.',
      },
    ];
  }
  return [];
}

function alreadyClaimed(filing: ClaimFiling, nik: string, earlier: readonly Claim[]): ClaimIssue[] {
  const standing = earlier.filter((c) => c.nik === nik && !CLOSED_WITHOUT_BENEFIT.includes(c.status));
  // One death per person; a JKK claim for the accident may come before its JKK_DEATH, so it does
  // not count. The same accident claimed twice does.
  const blocking = DEATH_TYPES.includes(filing.type)
    ? standing.filter((c) => DEATH_TYPES.includes(c.type))
    : standing.filter((c) => c.type === 'JKK' && c.eventDate === filing.eventDate);
  return blocking.map((c) => ({
    code: 'ALREADY_CLAIMED',
    severity: 'REFUSAL',
    message:
      `Peserta ini sudah punya klaim ${c.type === 'JKK' ? 'kecelakaan kerja' : 'kematian'} ${c.id} ` +
      `(kejadian ${dateText(c.eventDate)}, ${STATUS_TEXT[c.status]}). Satu peristiwa hanya dapat diklaim sekali (kematian: satu klaim per peserta).`,
  }));
}

function jkkTimeIssues(input: ClaimCheckInput, today: CalendarDate): ClaimIssue[] {
  const { filing, settings, now } = input;
  if (!JKK_TYPES.includes(filing.type)) return [];
  const lapsesAfter = yearsAfter(filing.eventDate, settings.jkkLapseYears);
  if (today > lapsesAfter) {
    return [
      {
        code: 'JKK_LAPSED',
        severity: 'REFUSAL',
        message:
          `Kecelakaan kerja ${dateText(filing.eventDate)} sudah lebih dari ${settings.jkkLapseYears} tahun: ` +
          'hak atas manfaat JKK sudah gugur (PP 82/2019 Pasal 26).',
      },
    ];
  }
  // The filing gives a day, not a time: the window runs from the end of that day (Jakarta), the
  // reading that never warns about a report made in time.
  const deadline = Date.parse(`${addDays(filing.eventDate, 1)}T00:00:00+07:00`) + settings.jkkReportHours * 3_600_000;
  if (now.getTime() <= deadline) return [];
  return [
    {
      code: 'JKK_REPORT_LATE',
      severity: 'WARNING',
      message:
        `Kecelakaan kerja ${dateText(filing.eventDate)} dilaporkan lebih dari ${settings.jkkReportHours} jam ` +
        'setelah kejadian (laporan tahap I, Permenaker 5/2021 Pasal 8). Jika kecelakaan sudah dilaporkan ke ' +
        'BPJS oleh fasilitas kesehatan atau kelompok peserta, lampirkan buktinya bersama kronologi.',
    },
  ];
}

/** Every reason the filing is refused or must be watched, in the order an operator reads them. */
export function checkClaim(input: ClaimCheckInput): ClaimIssue[] {
  const { filing, participant, earlierClaims } = input;
  const today = jakartaDate(input.now);
  const issues: ClaimIssue[] = [];
  if (!participant) {
    issues.push({
      code: 'NOT_A_PARTICIPANT',
      severity: 'REFUSAL',
      message: 'NIK/KPJ ini tidak terdaftar sebagai peserta program. Periksa NIK atau nomor KPJ dari kartu peserta.',
    });
  }
  if (filing.eventDate > today) {
    issues.push({
      code: 'EVENT_IN_FUTURE',
      severity: 'REFUSAL',
      message: `Tanggal kejadian ${dateText(filing.eventDate)} belum terjadi. Periksa tanggal kejadian.`,
    });
  }
  if (participant) {
    const start = input.coverage?.start ?? participant.coverageStart;
    const end = input.coverage?.end ?? participant.coverageEnd;
    issues.push(...coverageIssues(input, start, end));
  }
  const nik = participant?.nik ?? filing.nik;
  if (nik) issues.push(...alreadyClaimed(filing, nik, earlierClaims));
  issues.push(...jkkTimeIssues(input, today));
  issues.push(...checkHeirs(filing.heirs, nik ?? '', filing.type));
  return issues;
}
