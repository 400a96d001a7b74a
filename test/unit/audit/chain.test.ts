import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEvent, ChainedAuditEvent } from '../../../functions/core/audit/audit-event';
import {
  canonicalJson,
  chainAll,
  chainEvent,
  eventHash,
  GENESIS,
  verifyChain,
} from '../../../functions/core/audit/chain';

const at = (minute: number) => `2026-03-02T01:${String(minute).padStart(2, '0')}:00.000Z`;
const event = (minute: number, action: string, over: Partial<AuditEvent> = {}): AuditEvent => ({
  entity: 'proposal#prp-7',
  action,
  actor: 'system:validate-proposal',
  at: at(minute),
  ...over,
});

/** A proposal's trail from upload to enrollment. */
const trail = () =>
  chainAll([
    event(0, 'RECEIVED', { actor: 'operator:sari@pulautelo.desa.id', details: { rows: 120 } }),
    event(1, 'VALIDATED', { from: 'VALIDATING', to: 'AWAITING_APPROVAL', details: { valid: 118, invalid: 2 } }),
    event(9, 'APPROVED', { actor: 'approver:kadis@kapuaskab.go.id', details: { ip: '10.0.0.7', note: undefined } }),
    event(12, 'SUBMITTED_TO_BPJS', { execution: 'arn:aws:states:exec-1', details: { batches: [1, 2] } }),
    event(30, 'ENROLLED', { to: 'ENROLLED', details: { enrolled: 118 } }),
  ]);

describe('the hash of an event', () => {
  it('is the sha256 of its fields as canonical JSON: keys sorted at every depth, undefined left out', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: undefined }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"z":2}]},"b":1}',
    );
    const fields = { ...event(0, 'RECEIVED', { details: { z: 1, a: 2 } }), position: 1, prev: GENESIS };
    const expected = createHash('sha256')
      .update(
        '{"action":"RECEIVED","actor":"system:validate-proposal","at":"2026-03-02T01:00:00.000Z",' +
          `"details":{"a":2,"z":1},"entity":"proposal#prp-7","position":1,"prev":"${GENESIS}"}`,
      )
      .digest('hex');
    expect(eventHash(fields)).toBe(expected);
  });

  it('does not depend on the order fields were written in, nor on fields that are not the event', () => {
    const fields = { ...event(0, 'RECEIVED', { details: { a: 1, b: 2 } }), position: 1, prev: GENESIS };
    const reordered = { prev: GENESIS, position: 1, details: { b: 2, a: 1 }, ...event(0, 'RECEIVED') };
    expect(eventHash(reordered as typeof fields)).toBe(eventHash(fields));
    expect(eventHash({ ...fields, seq: '0000000001', once: 'x' } as typeof fields)).toBe(eventHash(fields));
  });

  it('changes with every field it covers', () => {
    const fields = { ...event(0, 'RECEIVED'), position: 1, prev: GENESIS };
    const changes: Partial<typeof fields>[] = [
      { entity: 'proposal#prp-8' },
      { position: 2 },
      { prev: '1'.repeat(64) },
      { action: 'REJECTED' },
      { actor: 'operator:someone-else' },
      { at: at(1) },
      { execution: 'arn:x' },
      { from: 'RECEIVED' },
      { to: 'VALIDATING' },
      { details: { rows: 1 } },
    ];
    for (const change of changes) expect(eventHash({ ...fields, ...change })).not.toBe(eventHash(fields));
  });
});

describe('chaining events', () => {
  it('numbers an entity’s events from 1, each naming the hash of the one before, the first GENESIS', () => {
    const chained = trail();
    expect(chained.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
    expect(chained[0]!.prev).toBe(GENESIS);
    for (let i = 1; i < chained.length; i++) expect(chained[i]!.prev).toBe(chained[i - 1]!.hash);
    for (const e of chained) expect(e.hash).toBe(eventHash(e));
  });

  it('hashes what storage gives back: details are taken through JSON (no undefined inside a list)', () => {
    const chained = chainEvent(event(0, 'RECEIVED', { details: { list: [1, undefined], gone: undefined } }));
    expect(chained.details).toEqual({ list: [1, null] });
    const readBack = JSON.parse(JSON.stringify(chained)) as ChainedAuditEvent;
    expect(eventHash(readBack)).toBe(chained.hash);
  });

  it('continues after a head', () => {
    const [a] = trail();
    const next = chainEvent(event(5, 'VALIDATED'), a);
    expect(next).toMatchObject({ position: 2, prev: a!.hash });
    expect(verifyChain([a!, next])).toEqual({ ok: true, count: 2, head: next.hash });
  });
});

describe('verifying a chain', () => {
  it('accepts an untouched trail, in whatever order it is given, with its head', () => {
    const chained = trail();
    expect(verifyChain([...chained].reverse())).toEqual({ ok: true, count: 5, head: chained[4]!.hash });
    expect(verifyChain([])).toEqual({ ok: true, count: 0 });
  });

  it('names an event whose content was changed: its hash no longer matches', () => {
    const chained = trail();
    chained[2] = { ...chained[2]!, actor: 'approver:someone-else@kapuaskab.go.id' };
    expect(verifyChain(chained)).toEqual({
      ok: false,
      count: 5,
      broken: { position: 3, at: at(9), action: 'APPROVED', reason: 'hash' },
    });
  });

  it('names a change deep inside the details', () => {
    const chained = trail();
    chained[3] = { ...chained[3]!, details: { batches: [1, 3] } };
    expect(verifyChain(chained)).toMatchObject({ ok: false, broken: { position: 4, reason: 'hash' } });
  });

  it('names the event after one changed with its hash recomputed: its prev no longer matches', () => {
    const chained = trail();
    const forged = { ...chained[1]!, details: { valid: 120, invalid: 0 } };
    chained[1] = { ...forged, hash: eventHash(forged) };
    expect(verifyChain(chained)).toMatchObject({
      ok: false,
      broken: { position: 3, action: 'APPROVED', reason: 'prev' },
    });
  });

  it('names the position a removed middle event leaves empty', () => {
    const chained = trail();
    chained.splice(2, 1);
    expect(verifyChain(chained)).toEqual({ ok: false, count: 4, broken: { position: 3, reason: 'gap' } });
  });

  it('names a removed first event', () => {
    expect(verifyChain(trail().slice(1))).toMatchObject({ ok: false, broken: { position: 1, reason: 'gap' } });
  });

  it('names events moved to other places: the position is part of what was hashed', () => {
    const chained = trail();
    const swapped = [
      chained[0]!,
      { ...chained[2]!, position: 2 },
      { ...chained[1]!, position: 3 },
      chained[3]!,
      chained[4]!,
    ];
    expect(verifyChain(swapped)).toMatchObject({
      ok: false,
      broken: { position: 2, action: 'APPROVED', reason: 'hash' },
    });
  });

  it('names events reordered and re-hashed by their prev', () => {
    const chained = trail();
    // The forger renumbers two events and recomputes both hashes, but cannot make the links agree.
    const second = { ...chained[2]!, position: 2 };
    const third = { ...chained[1]!, position: 3 };
    const rehashed = [
      chained[0]!,
      { ...second, hash: eventHash(second) },
      { ...third, hash: eventHash(third) },
      ...chained.slice(3),
    ];
    expect(verifyChain(rehashed)).toMatchObject({ ok: false, broken: { position: 2, reason: 'prev' } });
  });

  it('names a prev that does not match the event before it', () => {
    const chained = trail();
    const relinked = { ...chained[3]!, prev: chained[1]!.hash };
    chained[3] = { ...relinked, hash: eventHash(relinked) };
    expect(verifyChain(chained)).toMatchObject({ ok: false, broken: { position: 4, reason: 'prev' } });
    const [first] = trail();
    const notGenesis = { ...first!, prev: '1'.repeat(64) };
    expect(verifyChain([{ ...notGenesis, hash: eventHash(notGenesis) }])).toMatchObject({
      ok: false,
      broken: { position: 1, reason: 'prev' },
    });
  });

  it('names the first broken link when there are several', () => {
    const chained = trail();
    chained[4] = { ...chained[4]!, to: 'FAILED' };
    chained[1] = { ...chained[1]!, to: 'INVALID' };
    expect(verifyChain(chained)).toMatchObject({ ok: false, broken: { position: 2, reason: 'hash' } });
  });

  it('cannot see the last event removed: a shorter chain is still whole (the archive’s digest covers that)', () => {
    const chained = trail();
    expect(verifyChain(chained.slice(0, 4))).toMatchObject({ ok: true, count: 4 });
  });
});
