import { describe, expect, it } from 'vitest';
import { ProposalStatus } from '../../../functions/core/proposals/proposal';
import { STATUS_TEXT, proposalView } from '../../../functions/core/proposals/proposal-view';
import { proposal } from './proposal-fixture';

const self = 'https://api.example/proposals/prp-0123456789abcdef0123';

describe('proposalView', () => {
  it('never exposes the approval code or the task token, whatever the status', () => {
    for (const status of ProposalStatus.options) {
      const p = proposal({
        status,
        approval: { ...proposal().approval!, decision: 'APPROVED', decidedBy: 'kepala', note: 'ok' },
      });
      const json = JSON.stringify(proposalView(p, { self }));
      expect(json, status).not.toContain(p.approval!.code);
      expect(json, status).not.toContain(p.approval!.taskToken);
      expect(json, status).not.toContain('taskToken');
    }
  });

  it('keeps the approval dates, decision and note', () => {
    const p = proposal({
      approval: { ...proposal().approval!, decision: 'REJECTED', decidedAt: '2026-02-13T01:00:00Z', note: 'ganda' },
    });
    expect(proposalView(p, { self }).approval).toEqual({
      requestedAt: '2026-02-12T03:15:00Z',
      expiresAt: '2026-02-26T03:15:00Z',
      decision: 'REJECTED',
      decidedAt: '2026-02-13T01:00:00Z',
      note: 'ganda',
    });
  });

  it("shows the report's S3 keys under 'report.json' and 'report.xlsx', with download links", () => {
    const view = proposalView(proposal(), { self });
    expect(view.report).toEqual({
      'report.json': 'reports/prp-0123456789abcdef0123/report.json',
      'report.xlsx': 'reports/prp-0123456789abcdef0123/report.xlsx',
      download: { json: `${self}/report?format=json`, xlsx: `${self}/report?format=xlsx` },
    });
  });

  it('offers no xlsx download when only the JSON report exists, and no report before validation', () => {
    expect(
      proposalView(proposal({ report: { json: 'reports/x/report.json' } }), { self }).report?.download.xlsx,
    ).toBeUndefined();
    expect(proposalView(proposal({ report: undefined }), { self }).report).toBeUndefined();
  });

  it('gives counts, zero when not yet counted', () => {
    expect(proposalView(proposal(), { self })).toMatchObject({
      rows: 12,
      valid: 9,
      invalid: 3,
      overQuota: 0,
      warnings: 1,
    });
    expect(proposalView(proposal({ counts: undefined }), { self })).toMatchObject({
      rows: 0,
      valid: 0,
      invalid: 0,
      overQuota: 0,
      warnings: 0,
    });
  });

  it('keeps only stage and error of a failure (not the internal cause)', () => {
    const p = proposal({
      status: 'FAILED',
      failure: { stage: 'Submit', previousStatus: 'APPROVED', error: 'BpjsUnavailable', cause: 'stack trace at ...' },
    });
    expect(proposalView(p, { self }).failure).toEqual({ stage: 'Submit', error: 'BpjsUnavailable' });
  });

  it('links itself and its history', () => {
    expect(proposalView(proposal(), { self }).links).toEqual({ self, history: `${self}/history` });
  });
});

describe('STATUS_TEXT', () => {
  it('has a distinct, non-empty text for every status', () => {
    const texts = ProposalStatus.options.map((s) => STATUS_TEXT[s]);
    for (const [i, t] of texts.entries()) expect(t, ProposalStatus.options[i]).toMatch(/\S/);
    expect(new Set(texts).size).toBe(ProposalStatus.options.length);
    expect(Object.keys(STATUS_TEXT).sort()).toEqual([...ProposalStatus.options].sort());
  });

  it('is what the view shows for each status', () => {
    for (const status of ProposalStatus.options)
      expect(proposalView(proposal({ status }), { self }).statusText).toBe(STATUS_TEXT[status]);
  });
});
