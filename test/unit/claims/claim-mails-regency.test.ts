import { describe, expect, it } from 'vitest';
import { claimApprovalMail } from '../../../functions/core/claims/claim-mails';
import { claim } from './fixtures';

describe('claim mails name the regency', () => {
  it("are signed by the Dinas Sosial of the claim's own regency", () => {
    const kapuas = claimApprovalMail(claim(), 'kepala@dinsos.example', 'https://api.example/x', 1);
    expect(kapuas.text).toContain('-- Jaring, Dinas Sosial Kabupaten Kapuas');
    const kubuRaya = claimApprovalMail(
      claim({ villageCode: '61.12.07.2005' }),
      'kepala@dinsos.example',
      'https://api.example/x',
      1,
    );
    expect(kubuRaya.text).toContain('-- Jaring, Dinas Sosial Kabupaten Kubu Raya');
    expect(kubuRaya.html).toContain('Dinas Sosial Kabupaten Kubu Raya');
  });
});
