import { describe, expect, it } from 'vitest';
import { ClaimFiling, type ClaimIssue } from '../../../functions/core/claims/claim';
import { ClaimSettings } from '../../../functions/core/claims/claim-settings';
import { checkClaim, coverageOn, type ClaimCheckInput } from '../../../functions/core/claims/checks';
import type { Coverage } from '../../../functions/core/contributions/coverage';
import { apply, coverage, on, terms } from '../contributions/fixtures';
import { claim, heir, PARTICIPANT_NIK } from './fixtures';

const codes = (issues: ClaimIssue[]) => issues.map((i) => i.code);

const participant = { nik: PARTICIPANT_NIK, coverageStart: '2026-01-01', coverageEnd: '2026-12-31' };

function filing(over: Partial<ClaimFiling> = {}): ClaimFiling {
  return ClaimFiling.parse({
    nik: PARTICIPANT_NIK,
    type: 'JKM',
    eventDate: '2026-03-10',
    description: 'Meninggal dunia di rumah karena sakit.',
    heirs: [heir(1, 'SPOUSE')],
    ...over,
  });
}

function check(over: Partial<ClaimCheckInput> & { filing?: ClaimFiling } = {}) {
  return checkClaim({
    filing: filing(),
    participant,
    coverage: coverage(1),
    earlierClaims: [],
    now: new Date('2026-03-11T03:00:00Z'),
    settings: ClaimSettings.parse({}),
    ...over,
  });
}

/**
 * January paid; February unpaid past its due date (ARREARS from 17 February, Jakarta), March and April
 * too (LAPSED from 16 April).
 */
function behind(): Coverage {
  const t = terms();
  return apply(
    coverage(1),
    t,
    on.billed('2026-01'),
    on.paid('2026-01', '2026-01-10'),
    on.billed('2026-02'),
    on.duePassed('2026-02'),
    on.billed('2026-03'),
    on.duePassed('2026-03'),
    on.billed('2026-04'),
    on.duePassed('2026-04'),
  );
}

describe('checkClaim', () => {
  it('passes a JKM claim of an active participant with a spouse as heir', () => {
    expect(check()).toEqual([]);
  });

  it('refuses someone who is not a participant', () => {
    const issues = check({ participant: undefined, coverage: undefined });
    expect(codes(issues)).toEqual(['NOT_A_PARTICIPANT']);
    expect(issues[0]!.severity).toBe('REFUSAL');
  });

  it('refuses an event in the future (Jakarta day)', () => {
    // 17:00Z on 10 March is already 11 March in Jakarta: an event on the 11th is today, not the future.
    expect(check({ filing: filing({ eventDate: '2026-03-11' }), now: new Date('2026-03-10T17:00:00Z') })).toEqual([]);
    expect(codes(check({ filing: filing({ eventDate: '2026-03-12' }) }))).toEqual(['EVENT_IN_FUTURE']);
  });

  it('refuses an event outside the coverage period', () => {
    const issues = check({ filing: filing({ eventDate: '2025-12-31' }) });
    expect(codes(issues)).toEqual(['OUTSIDE_COVERAGE']);
    expect(issues[0]!.message).toContain('31 Desember 2025');
  });

  describe('the coverage status on the day of the event', () => {
    it('a death while ACTIVE, before the arrears began, passes even though the coverage is LAPSED now', () => {
      expect(coverageOn(behind(), '2026-02-16').status).toBe('ACTIVE');
      expect(check({ coverage: behind(), filing: filing({ eventDate: '2026-02-16' }) })).toEqual([]);
    });

    it('a death in ARREARS is a warning for Dinas Sosial, naming the unpaid month', () => {
      const issues = check({
        coverage: behind(),
        filing: filing({ eventDate: '2026-02-20' }),
        now: new Date('2026-02-21T03:00:00Z'),
      });
      expect(issues).toEqual([expect.objectContaining({ code: 'DEATH_IN_ARREARS', severity: 'WARNING' })]);
      expect(issues[0]!.message).toContain('Februari 2026');
      expect(issues[0]!.message).toContain('Dinas Sosial');
    });

    it('a death in ARREARS is refused when the programme says so', () => {
      const issues = check({
        coverage: behind(),
        filing: filing({ eventDate: '2026-02-20' }),
        settings: ClaimSettings.parse({ deathInArrears: 'REFUSE' }),
      });
      expect(issues).toEqual([expect.objectContaining({ code: 'DEATH_IN_ARREARS', severity: 'REFUSAL' })]);
    });

    it('a death while LAPSED is refused by default, a warning when the programme flags instead', () => {
      const lapsed = {
        coverage: behind(),
        filing: filing({ eventDate: '2026-04-20' }),
        now: new Date('2026-04-21T03:00:00Z'),
      };
      expect(check(lapsed)).toEqual([expect.objectContaining({ code: 'COVERAGE_LAPSED', severity: 'REFUSAL' })]);
      expect(check(lapsed)[0]!.message).toContain('Februari 2026, Maret 2026, April 2026');
      expect(check({ ...lapsed, settings: ClaimSettings.parse({ eventWhileLapsed: 'FLAG' }) })).toEqual([
        expect.objectContaining({ code: 'COVERAGE_LAPSED', severity: 'WARNING' }),
      ]);
    });

    it('an accident in ARREARS is always only a warning', () => {
      const issues = check({
        coverage: behind(),
        filing: filing({ type: 'JKK', eventDate: '2026-02-20', heirs: [] }),
        now: new Date('2026-02-21T03:00:00Z'),
        settings: ClaimSettings.parse({ deathInArrears: 'REFUSE' }),
      });
      expect(issues).toEqual([expect.objectContaining({ code: 'ACCIDENT_IN_ARREARS', severity: 'WARNING' })]);
    });

    it('the death itself recorded on the coverage does not count as the status of the death', () => {
      const dead = apply(coverage(1), terms(), {
        type: 'DIED',
        at: '2026-03-10T05:00:00.000Z',
        dateOfDeath: '2026-03-10',
      });
      expect(coverageOn(dead, '2026-03-10').status).toBe('ACTIVE');
      expect(check({ coverage: dead })).toEqual([]);
    });
  });

  describe('one death claim per person', () => {
    it('refuses a second death claim while the first stands, of either death type', () => {
      const paid = claim({ id: 'klaim-lama', status: 'PAID' });
      const issues = check({ earlierClaims: [paid] });
      expect(codes(issues)).toEqual(['ALREADY_CLAIMED']);
      expect(issues[0]!.message).toContain('klaim-lama');
      expect(issues[0]!.message).toContain('sudah dibayar');
      expect(codes(check({ earlierClaims: [paid], filing: filing({ type: 'JKK_DEATH' }) }))).toContain(
        'ALREADY_CLAIMED',
      );
    });

    it('a refused, rejected or BPJS-refused earlier claim does not stand in the way', () => {
      const closed = (['REFUSED', 'REJECTED', 'REFUSED_BY_BPJS'] as const).map((status) => claim({ status }));
      expect(check({ earlierClaims: closed })).toEqual([]);
    });

    it("another person's claim does not count", () => {
      expect(check({ earlierClaims: [claim({ nik: '6203011506880002', status: 'PAID' })] })).toEqual([]);
    });

    it('a JKK claim for the accident may precede the JKK death claim; the same accident twice may not', () => {
      const accident = claim({ type: 'JKK', heirs: [], status: 'SUBMITTED_TO_BPJS' });
      const now = new Date('2026-03-11T03:00:00Z');
      expect(check({ earlierClaims: [accident], filing: filing({ type: 'JKK_DEATH' }), now })).toEqual([]);
      const again = check({ earlierClaims: [accident], filing: filing({ type: 'JKK', heirs: [] }), now });
      expect(codes(again)).toEqual(['ALREADY_CLAIMED']);
      const later = check({
        earlierClaims: [accident],
        filing: filing({ type: 'JKK', heirs: [], eventDate: '2026-03-11' }),
        now,
      });
      expect(later).toEqual([]);
    });
  });

  describe('JKK time limits', () => {
    const jkk = filing({ type: 'JKK', heirs: [], eventDate: '2026-03-10' });

    it('warns when reported more than 48 hours after the end of the accident day (Jakarta)', () => {
      expect(check({ filing: jkk, now: new Date('2026-03-12T17:00:00Z') })).toEqual([]);
      const late = check({ filing: jkk, now: new Date('2026-03-12T17:00:01Z') });
      expect(late).toEqual([expect.objectContaining({ code: 'JKK_REPORT_LATE', severity: 'WARNING' })]);
      expect(late[0]!.message).toContain('48 jam');
    });

    it('a JKM death has no report window', () => {
      expect(check({ now: new Date('2026-06-01T03:00:00Z') })).toEqual([]);
    });

    it('refuses a JKK claim more than 5 years after the accident, and counts 29 February kindly', () => {
      const old = { participant: undefined, coverage: undefined };
      const leap = filing({ type: 'JKK', heirs: [], eventDate: '2024-02-29' });
      expect(codes(check({ ...old, filing: leap, now: new Date('2029-03-01T03:00:00Z') }))).not.toContain('JKK_LAPSED');
      const lapsed = check({ ...old, filing: leap, now: new Date('2029-03-02T03:00:00Z') });
      expect(lapsed).toContainEqual(expect.objectContaining({ code: 'JKK_LAPSED', severity: 'REFUSAL' }));
      expect(codes(lapsed)).not.toContain('JKK_REPORT_LATE');
    });
  });

  it('checks the heirs: a sibling receiving while a spouse is named is refused', () => {
    const heirs = [heir(1, 'SPOUSE'), heir(2, 'SIBLING', { recipient: true })];
    expect(codes(check({ filing: filing({ heirs }) }))).toEqual(['HEIR_NOT_ENTITLED']);
    expect(codes(check({ filing: filing({ heirs: [] }) }))).toEqual(['HEIRS_MISSING']);
  });

  it('reports every reason at once', () => {
    const issues = check({
      participant: undefined,
      coverage: undefined,
      filing: filing({ eventDate: '2026-04-01', heirs: [] }),
      earlierClaims: [claim({ status: 'AWAITING_APPROVAL' })],
    });
    expect(codes(issues)).toEqual(['NOT_A_PARTICIPANT', 'EVENT_IN_FUTURE', 'ALREADY_CLAIMED', 'HEIRS_MISSING']);
  });
});
