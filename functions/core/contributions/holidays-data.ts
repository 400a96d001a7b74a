/**
 * Indonesian national holidays (hari libur nasional) and collective leave days (cuti bersama), as
 * the joint decree of the Ministers of Religious Affairs, Manpower and PANRB (SKB 3 Menteri) sets
 * them each year. Data, not rules: add a year when its SKB is signed (usually September-October of
 * the year before) and change a year when an amending SKB comes out. Checked by holidays.ts on load.
 */
export const HOLIDAY_YEARS = [
  {
    year: 2025,
    status: 'official',
    source:
      'SKB Menag, Menaker, MenPANRB No. 1017/2024, 2/2024, 2/2024 (14 Oct 2024): 17 libur nasional, 10 cuti ' +
      'bersama; amended by SKB No. 933/2025, 1/2025, 3/2025 (7 Aug 2025): cuti bersama 18 Aug 2025 added',
    days: [
      { date: '2025-01-01', kind: 'LIBUR_NASIONAL', name: 'Tahun Baru 2025 Masehi' },
      { date: '2025-01-27', kind: 'LIBUR_NASIONAL', name: 'Isra Mikraj Nabi Muhammad SAW' },
      { date: '2025-01-28', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Tahun Baru Imlek' },
      { date: '2025-01-29', kind: 'LIBUR_NASIONAL', name: 'Tahun Baru Imlek 2576 Kongzili' },
      { date: '2025-03-28', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Hari Suci Nyepi' },
      { date: '2025-03-29', kind: 'LIBUR_NASIONAL', name: 'Hari Suci Nyepi (Tahun Baru Saka 1947)' },
      { date: '2025-03-31', kind: 'LIBUR_NASIONAL', name: 'Idulfitri 1446 Hijriah' },
      { date: '2025-04-01', kind: 'LIBUR_NASIONAL', name: 'Idulfitri 1446 Hijriah' },
      { date: '2025-04-02', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Idulfitri' },
      { date: '2025-04-03', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Idulfitri' },
      { date: '2025-04-04', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Idulfitri' },
      { date: '2025-04-07', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Idulfitri' },
      { date: '2025-04-18', kind: 'LIBUR_NASIONAL', name: 'Wafat Yesus Kristus' },
      { date: '2025-04-20', kind: 'LIBUR_NASIONAL', name: 'Kebangkitan Yesus Kristus (Paskah)' },
      { date: '2025-05-01', kind: 'LIBUR_NASIONAL', name: 'Hari Buruh Internasional' },
      { date: '2025-05-12', kind: 'LIBUR_NASIONAL', name: 'Hari Raya Waisak 2569 BE' },
      { date: '2025-05-13', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Hari Raya Waisak' },
      { date: '2025-05-29', kind: 'LIBUR_NASIONAL', name: 'Kenaikan Yesus Kristus' },
      { date: '2025-05-30', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Kenaikan Yesus Kristus' },
      { date: '2025-06-01', kind: 'LIBUR_NASIONAL', name: 'Hari Lahir Pancasila' },
      { date: '2025-06-06', kind: 'LIBUR_NASIONAL', name: 'Iduladha 1446 Hijriah' },
      { date: '2025-06-09', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Iduladha' },
      { date: '2025-06-27', kind: 'LIBUR_NASIONAL', name: '1 Muharam Tahun Baru Islam 1447 Hijriah' },
      { date: '2025-08-17', kind: 'LIBUR_NASIONAL', name: 'Proklamasi Kemerdekaan' },
      { date: '2025-08-18', kind: 'CUTI_BERSAMA', name: 'Cuti bersama HUT ke-80 RI' },
      { date: '2025-09-05', kind: 'LIBUR_NASIONAL', name: 'Maulid Nabi Muhammad SAW' },
      { date: '2025-12-25', kind: 'LIBUR_NASIONAL', name: 'Kelahiran Yesus Kristus' },
      { date: '2025-12-26', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Kelahiran Yesus Kristus' },
    ],
  },
  {
    year: 2026,
    status: 'official',
    source:
      'SKB Menag, Menaker, MenPANRB No. 1497/2025, 2/2025, 5/2025 (19 Sep 2025): 17 libur nasional, 8 cuti ' +
      'bersama (as reported by Kemenko PMK and the press, e.g. okezone.com 2026-01-12, tribunnews.com)',
    days: [
      { date: '2026-01-01', kind: 'LIBUR_NASIONAL', name: 'Tahun Baru 2026 Masehi' },
      { date: '2026-01-16', kind: 'LIBUR_NASIONAL', name: 'Isra Mikraj Nabi Muhammad SAW' },
      { date: '2026-02-16', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Tahun Baru Imlek' },
      { date: '2026-02-17', kind: 'LIBUR_NASIONAL', name: 'Tahun Baru Imlek 2577 Kongzili' },
      { date: '2026-03-18', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Hari Suci Nyepi' },
      { date: '2026-03-19', kind: 'LIBUR_NASIONAL', name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)' },
      { date: '2026-03-20', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Idulfitri' },
      { date: '2026-03-21', kind: 'LIBUR_NASIONAL', name: 'Idulfitri 1447 Hijriah' },
      { date: '2026-03-22', kind: 'LIBUR_NASIONAL', name: 'Idulfitri 1447 Hijriah' },
      { date: '2026-03-23', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Idulfitri' },
      { date: '2026-03-24', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Idulfitri' },
      { date: '2026-04-03', kind: 'LIBUR_NASIONAL', name: 'Wafat Yesus Kristus' },
      { date: '2026-04-05', kind: 'LIBUR_NASIONAL', name: 'Kebangkitan Yesus Kristus (Paskah)' },
      { date: '2026-05-01', kind: 'LIBUR_NASIONAL', name: 'Hari Buruh Internasional' },
      { date: '2026-05-14', kind: 'LIBUR_NASIONAL', name: 'Kenaikan Yesus Kristus' },
      { date: '2026-05-15', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Kenaikan Yesus Kristus' },
      { date: '2026-05-27', kind: 'LIBUR_NASIONAL', name: 'Iduladha 1447 Hijriah' },
      { date: '2026-05-28', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Iduladha' },
      { date: '2026-05-31', kind: 'LIBUR_NASIONAL', name: 'Hari Raya Waisak 2570 BE' },
      { date: '2026-06-01', kind: 'LIBUR_NASIONAL', name: 'Hari Lahir Pancasila' },
      { date: '2026-06-16', kind: 'LIBUR_NASIONAL', name: '1 Muharam Tahun Baru Islam 1448 Hijriah' },
      { date: '2026-08-17', kind: 'LIBUR_NASIONAL', name: 'Proklamasi Kemerdekaan' },
      { date: '2026-08-25', kind: 'LIBUR_NASIONAL', name: 'Maulid Nabi Muhammad SAW' },
      { date: '2026-12-24', kind: 'CUTI_BERSAMA', name: 'Cuti bersama Kelahiran Yesus Kristus' },
      { date: '2026-12-25', kind: 'LIBUR_NASIONAL', name: 'Kelahiran Yesus Kristus' },
    ],
  },
  {
    // The 2027 SKB was not in our sources when this was written (2026-11-25). Until it is added,
    // only the holidays fixed by date are known; the moving ones (Idulfitri, Iduladha, Imlek, Nyepi,
    // Waisak, Easter and the rest) are missing, so a due date can come out a day or two EARLY, never
    // late: a reminder too soon, not a missed payment. due-date.ts says so on every 2027 date.
    year: 2027,
    status: 'provisional',
    source: 'Fixed-date holidays only (Keppres on hari-hari libur); replace with the SKB for 2027 when signed',
    days: [
      { date: '2027-01-01', kind: 'LIBUR_NASIONAL', name: 'Tahun Baru 2027 Masehi' },
      { date: '2027-05-01', kind: 'LIBUR_NASIONAL', name: 'Hari Buruh Internasional' },
      { date: '2027-06-01', kind: 'LIBUR_NASIONAL', name: 'Hari Lahir Pancasila' },
      { date: '2027-08-17', kind: 'LIBUR_NASIONAL', name: 'Proklamasi Kemerdekaan' },
      { date: '2027-12-25', kind: 'LIBUR_NASIONAL', name: 'Kelahiran Yesus Kristus' },
    ],
  },
] as const;
