/**
 * The two example rows of the proposal template (template.ts). Operators often leave them in
 * place; the row rules refuse these NIKs so the examples can never be enrolled as people.
 */
export const TEMPLATE_EXAMPLES = [
  {
    nik: '6203011205859991',
    name: 'Budi Santoso',
    birthPlace: 'Kuala Kapuas',
    birthDate: '12-05-1985',
    sex: 'L',
    occupation: 'petani',
    address: 'Jl. Contoh No. 1 RT 001 RW 001',
    phone: '081234567890',
    dtsenDecile: 2,
    kk: '6203011205859990',
  },
  {
    nik: '6203016308909992',
    name: 'Siti Aminah',
    birthPlace: 'Kuala Kapuas',
    birthDate: '23-08-1990',
    sex: 'P',
    occupation: 'pedagang pasar',
    address: 'Jl. Contoh No. 2 RT 002 RW 001',
    phone: '081298765432',
    dtsenDecile: 3,
    kk: '6203016308909990',
  },
] as const;

export const TEMPLATE_EXAMPLE_NIKS: ReadonlySet<string> = new Set(TEMPLATE_EXAMPLES.map((e) => e.nik));
