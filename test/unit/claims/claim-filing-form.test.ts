import { describe, expect, it } from 'vitest';
import { ClaimFiling } from '../../../functions/core/claims/claim';
import { filingFields } from '../../../functions/handlers/api-claims';
import { heirNik, PARTICIPANT_NIK } from './fixtures';

// The console's filing form posts flat text fields; the API reads them as the one ClaimFiling shape.
describe('filingFields', () => {
  it('turns the form’s flat fields into a filing, skipping empty heir rows and empty options', () => {
    const filing = ClaimFiling.parse(
      filingFields({
        type: 'JKK',
        programmeId: '',
        nik: ` ${PARTICIPANT_NIK} `,
        kpj: '',
        eventDate: '2026-03-10',
        description: 'Jatuh dari pohon kelapa saat memanen.',
        declaredIncome: '1500000',
        incapacityDays: '',
        'heirs.0.nik': heirNik(1),
        'heirs.0.name': 'Siti',
        'heirs.0.relationship': 'SPOUSE',
        'heirs.0.bank': 'BRI',
        'heirs.0.accountNumber': '001201001',
        'heirs.0.holder': 'Siti',
        'heirs.0.recipient': 'true',
        'heirs.1.nik': '',
        'heirs.1.name': '',
        'heirs.1.relationship': 'CHILD',
      }),
    );
    expect(filing).toMatchObject({
      type: 'JKK',
      nik: PARTICIPANT_NIK,
      declaredIncome: 1_500_000,
      heirs: [
        {
          nik: heirNik(1),
          relationship: 'SPOUSE',
          recipient: true,
          bankAccount: { bank: 'BRI', number: '001201001', holder: 'Siti' },
        },
      ],
    });
    expect(filing.programmeId).toBeUndefined();
    expect(filing.kpj).toBeUndefined();
    expect(filing.incapacityDays).toBeUndefined();
  });

  it('passes a script’s JSON filing through as it is', () => {
    const json = { type: 'JKM', nik: PARTICIPANT_NIK, heirs: [] };
    expect(filingFields(json)).toBe(json);
  });
});
