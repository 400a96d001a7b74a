import type { Mail } from '../../ports/mailer';
import { render } from '../proposals/mails';
import { dinasSosialName, regencyCodeOf, regencyName } from '../regions/regencies';
import { villageLabel } from '../regions/village-label';
import { outstanding, type Bill } from './bill';
import { monthName, type AtRiskParticipant, type familiesAtRisk } from './coverage';
import { billConsoleUrl } from '../proposals/links';

/**
 * The billing workflow's mail, in plain Bahasa Indonesia, to finance (BPKAD) and Dinas Sosial, and
 * for an overdue bill the operators too. Counts and money only, no name: the one exception is the
 * notice to a village's own operator, who enrolled those people and must find them, and even there
 * each NIK is masked (first 4 and last 4 digits). Pure builders, so the wording is tested without a
 * mail server.
 */

/** Who hears of a programme's bills. */
export type BillRecipients = { finance: string; dinasSosial: string[]; operators: string[] };

/** The regency a bill is of: every line is one of its villages (a bill has at least one). */
const regencyOf = (bill: Bill) => regencyCodeOf(bill.lines[0]!.villageCode);

const rupiah = (n: number) => `Rp${n.toLocaleString('id-ID')}`;

const tanggal = (date: string) =>
  new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );

function dueLine(bill: Bill): string {
  const moved = bill.due.movedPast.map((d) => `${tanggal(d.date)} (${d.why})`);
  return (
    `Jatuh tempo: ${tanggal(bill.due.date)}.` +
    (moved.length ? ` Tanggal 15 bukan hari kerja, dilewati: ${moved.join('; ')}.` : '') +
    (bill.due.calendar === 'provisional' ? ' Kalender libur tahun ini masih sementara.' : '')
  );
}

const codeLine = (bill: Bill) =>
  bill.paymentCode
    ? `Kode iuran BPJS Ketenagakerjaan: ${bill.paymentCode}.`
    : 'Kode iuran dari BPJS Ketenagakerjaan belum terbit; Jaring memintanya lagi setiap hari dan ' +
      'mengirimkannya begitu terbit.';

const linesList = (bill: Bill) =>
  bill.lines.map((l) => `- ${villageLabel(l.villageCode)}: ${l.participants} peserta, ${rupiah(l.amount)}`).join('\n');

const billLink = (bill: Bill, apiUrl: string) => ({
  href: billConsoleUrl(apiUrl, bill.id),
  label: 'Lihat tagihan di Jaring',
});

/** The bill is issued: what to pay, by when, to which code, and where the per-village files are. */
export function billIssuedMail(bill: Bill, to: BillRecipients, apiUrl: string, documentsPrefix: string): Mail {
  return render(
    [to.finance, ...to.dinasSosial],
    `[Jaring] Tagihan iuran ${monthName(bill.month)}: ${rupiah(bill.amount)} (${bill.programmeId})`,
    [
      `Yth. Bagian Keuangan dan ${dinasSosialName(regencyOf(bill))},`,
      `Tagihan iuran BPJS Ketenagakerjaan program ${bill.programmeId} untuk ${monthName(bill.month)} sudah terbit: ` +
        `${bill.participants} peserta x ${rupiah(bill.perParticipant.total)} = ${rupiah(bill.amount)}.`,
      dueLine(bill),
      codeLine(bill),
      `Rincian per desa:\n${linesList(bill)}`,
      `Berkas tagihan (JSON dan XLSX per desa, NIK disamarkan) tersimpan di ${documentsPrefix}.`,
      'Bila iuran tidak lunas pada jatuh tempo, semua peserta pada tagihan ini menunggak, dan hitungan 3 tahun ' +
        'iuran tanpa putus untuk beasiswa anak mereka terancam.',
    ],
    billLink(bill, apiUrl),
    regencyOf(bill),
  );
}

/** The payment code came after the bill's first mail (BPJS was unavailable then). */
export function paymentCodeMail(bill: Bill, to: BillRecipients, apiUrl: string): Mail {
  return render(
    [to.finance, ...to.dinasSosial],
    `[Jaring] Kode iuran ${monthName(bill.month)} sudah terbit (${bill.programmeId})`,
    [
      `Yth. Bagian Keuangan dan ${dinasSosialName(regencyOf(bill))},`,
      `Kode iuran untuk tagihan ${monthName(bill.month)} program ${bill.programmeId} ` +
        `(${rupiah(bill.amount)}) sudah terbit.`,
      codeLine(bill),
      dueLine(bill),
    ],
    billLink(bill, apiUrl),
    regencyOf(bill),
  );
}

/** A few days before the due date, for a bill not yet paid in full. */
export function dueSoonMail(bill: Bill, to: BillRecipients, apiUrl: string): Mail {
  return render(
    [to.finance, ...to.dinasSosial],
    `[Jaring] Pengingat: iuran ${monthName(bill.month)} jatuh tempo ${tanggal(bill.due.date)} (${bill.programmeId})`,
    [
      `Yth. Bagian Keuangan dan ${dinasSosialName(regencyOf(bill))},`,
      `Tagihan iuran ${monthName(bill.month)} program ${bill.programmeId} belum lunas: ` +
        `sudah dibayar ${rupiah(bill.paid)} dari ${rupiah(bill.amount)}, kurang ${rupiah(outstanding(bill))}.`,
      dueLine(bill),
      codeLine(bill),
      `Mohon dibayar sebelum jatuh tempo agar ${bill.participants} peserta tidak menunggak.`,
    ],
    billLink(bill, apiUrl),
    regencyOf(bill),
  );
}

/**
 * The due date passed without the bill paid in full: its participants are in arrears (or lapsed), and
 * how many families would lose their scholarship clock if it goes on.
 */
export function overdueMail(
  bill: Bill,
  risk: ReturnType<typeof familiesAtRisk>,
  lapsed: number,
  to: BillRecipients,
  apiUrl: string,
): Mail {
  const villages = risk.byVillage.map(
    (v) =>
      `- ${villageLabel(v.villageCode)}: ${v.inArrears} menunggak, ${v.clockWouldReset} terancam hitungan beasiswa`,
  );
  return render(
    [...to.operators, to.finance, ...to.dinasSosial],
    `[Jaring] Iuran ${monthName(bill.month)} belum lunas: ${risk.inArrears} peserta menunggak (${bill.programmeId})`,
    [
      to.operators.length
        ? `Yth. Operator Desa, Bagian Keuangan dan ${dinasSosialName(regencyOf(bill))},`
        : `Yth. Bagian Keuangan dan ${dinasSosialName(regencyOf(bill))},`,
      `Tagihan iuran ${monthName(bill.month)} program ${bill.programmeId} belum lunas pada jatuh tempo ` +
        `${tanggal(bill.due.date)}: dibayar ${rupiah(bill.paid)} dari ${rupiah(bill.amount)}, ` +
        `kurang ${rupiah(outstanding(bill))}.`,
      `${risk.inArrears} peserta kini menunggak. ${risk.clockWouldReset} keluarga akan kehilangan hitungan ` +
        'iuran berturut-turut untuk beasiswa anak bila tunggakan berlanjut sampai kepesertaan nonaktif.',
      lapsed > 0
        ? `${lapsed} peserta sudah nonaktif (tunggakan mencapai batas program) dan tidak ditagihkan lagi ` +
          'sampai dilunasi.'
        : '',
      villages.length ? `Per desa:\n${villages.join('\n')}` : '',
      codeLine(bill),
      'Melunasi tagihan ini mengaktifkan kembali semua pesertanya.',
    ].filter(Boolean),
    billLink(bill, apiUrl),
    regencyOf(bill),
  );
}

/** One village's part of an overdue bill: its participants in ARREARS (NIK masked) and those who lapsed. */
export type VillageAtRisk = {
  villageCode: string;
  inArrears: readonly AtRiskParticipant[];
  /** Masked NIKs of the village's participants the bill's due date lapsed (or left lapsed). */
  lapsed: readonly string[];
};

/**
 * The overdue notice to one village's operator: only their village's families, counted and listed
 * by masked NIK, with how many months each has before the lapse, so the operator can go to them.
 */
export function villageOverdueMail(bill: Bill, village: VillageAtRisk, operatorEmail: string, apiUrl: string): Mail {
  const desa = villageLabel(village.villageCode);
  const clock = village.inArrears.filter((p) => p.clockWouldReset).length;
  const arrears = village.inArrears.map(
    (p) =>
      `- ${p.nik}: belum lunas ${p.unpaidMonths.map(monthName).join(', ')}; ` +
      `nonaktif dalam ${p.monthsUntilLapse} bulan bila tidak dibayar`,
  );
  return render(
    [operatorEmail],
    `[Jaring] Iuran ${monthName(bill.month)} belum lunas: ${village.inArrears.length} peserta ${desa} menunggak`,
    [
      `Yth. Operator ${desa},`,
      `Iuran BPJS Ketenagakerjaan ${monthName(bill.month)} program ${bill.programmeId} belum lunas pada jatuh ` +
        `tempo ${tanggal(bill.due.date)}. Pembayaran iuran dilakukan Bagian Keuangan ${regencyName(regencyOf(bill))}, bukan oleh desa ` +
        'atau peserta; pemberitahuan ini agar Anda tahu keluarga mana di desa Anda yang terdampak.',
      `${village.inArrears.length} peserta di ${desa} kini menunggak. ${clock} keluarga akan kehilangan hitungan ` +
        'iuran berturut-turut untuk beasiswa anak bila tunggakan berlanjut sampai kepesertaan nonaktif.',
      arrears.length ? `Peserta menunggak (NIK disamarkan):\n${arrears.join('\n')}` : '',
      village.lapsed.length
        ? `${village.lapsed.length} peserta sudah nonaktif karena tunggakan mencapai batas program ` +
          `(NIK disamarkan):\n${village.lapsed.map((n) => `- ${n}`).join('\n')}`
        : '',
      'Bila warga bertanya, tunggakan dilunasi oleh kabupaten; setelah lunas kepesertaan aktif kembali.',
    ].filter(Boolean),
    billLink(bill, apiUrl),
    regencyOf(bill),
  );
}
