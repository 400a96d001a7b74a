import { describe, expect, it } from 'vitest';
import type { Mail } from '../../../functions/ports/mailer';
import type { Principal } from '../../../functions/core/access/principal';
import { allProgrammes, findProgramme } from '../../../functions/core/programmes/catalogue';
import {
  changeProgramme,
  createProgramme,
  seedProgrammes,
  SEED_ACTOR,
  type ProgrammeDeps,
} from '../../../functions/core/programmes/manage-programmes';
import type { Programme } from '../../../functions/core/programmes/programme';
import type { Standing } from '../../../functions/core/programmes/refusals';
import {
  ProgrammeVersionConflictError,
  type ProgrammeChange,
  type ProgrammeStore,
} from '../../../functions/ports/programme-store';

/** The store's contract in memory: versions immutable, the next version taken once. */
class MemoryProgrammeStore implements ProgrammeStore {
  readonly versions: Programme[] = [];
  readonly events: { id: string; version: number; actor?: string; changes: readonly ProgrammeChange[] }[] = [];
  everyVersion() {
    return Promise.resolve([...this.versions]);
  }
  history(id: string) {
    return Promise.resolve(this.versions.filter((p) => p.id === id).sort((a, b) => a.version - b.version));
  }
  save(programme: Programme, expectedVersion: number, changes: readonly ProgrammeChange[]) {
    if (this.versions.some((p) => p.id === programme.id && p.version === expectedVersion + 1))
      return Promise.reject(new ProgrammeVersionConflictError(programme.id, expectedVersion));
    this.versions.push(programme);
    this.events.push({ id: programme.id, version: programme.version, actor: programme.changedBy, changes });
    return Promise.resolve();
  }
}

const principal = (role: Principal['roles'][number], regency: string): Principal => ({
  id: `${role}-${regency}`,
  username: `${role}-${regency}`,
  roles: [role],
  regency,
  villages: [],
});
const adminKubuRaya = principal('admin', '61.12');
const adminKapuas = principal('admin', '62.03');
const draftOf = ({ version: _, changedBy: __, changedAt: ___, reason: ____, ...draft }: Programme) => draft;

function world(standing: Standing = {}) {
  const store = new MemoryProgrammeStore();
  const asked: unknown[] = [];
  const sent: Mail[] = [];
  const deps: ProgrammeDeps = {
    store,
    standing: (_p, needed) => {
      asked.push(needed);
      return Promise.resolve(standing);
    },
    now: () => new Date('2026-12-03T02:00:00.000Z'),
    notices: {
      mailer: { send: (mail) => (sent.push(mail), Promise.resolve({ messageId: `m-${sent.length}` })) },
      ops: ['tim@dinsos.local'],
    },
  };
  return { store, deps, asked, sent };
}

const kubuRaya2027 = { ...draftOf(findProgramme('kuburaya-2026-apbd')!), id: 'kuburaya-2027-apbd' };

describe('creating a programme', () => {
  it('stores version 1 by the admin of its regency, with who, when, why and every field set', async () => {
    const { store, deps } = world();
    const result = await createProgramme(deps, adminKubuRaya, { draft: kubuRaya2027, reason: 'APBD 2027' });
    expect(result.ok).toBe(true);
    expect(store.versions).toEqual([
      expect.objectContaining({
        id: 'kuburaya-2027-apbd',
        version: 1,
        changedBy: 'admin:admin-61.12',
        changedAt: '2026-12-03T02:00:00.000Z',
        reason: 'APBD 2027',
      }),
    ]);
    expect(store.events[0]!.changes.map((c) => c.field)).toContain('quota');
  });

  it('is refused to the admin of another regency and to any other role', async () => {
    const { store, deps } = world();
    for (const who of [adminKapuas, principal('verifier', '61.12'), principal('approver', '61.12')])
      expect(await createProgramme(deps, who, { draft: kubuRaya2027 })).toMatchObject({ ok: false, status: 403 });
    expect(store.versions).toEqual([]);
  });

  it('is refused for an id taken already, and for JP while the JP setting is off', async () => {
    const { deps } = world();
    await createProgramme(deps, adminKubuRaya, { draft: kubuRaya2027 });
    expect(await createProgramme(deps, adminKubuRaya, { draft: kubuRaya2027 })).toMatchObject({
      ok: false,
      status: 409,
      code: 'EXISTS',
    });
    const withJp = {
      ...kubuRaya2027,
      id: 'kuburaya-2027-jp',
      benefits: ['JKK' as const, 'JKM' as const, 'JP' as const],
      rates: { ...kubuRaya2027.rates, jpMonthly: 10_000 },
    };
    expect(await createProgramme(deps, adminKubuRaya, { draft: withJp })).toMatchObject({
      ok: false,
      status: 422,
      code: 'INVALID',
    });
  });
});

describe('changing a programme', () => {
  async function seeded(standing?: Standing) {
    const w = world(standing);
    await seedProgrammes(w.store, allProgrammes(), new Date('2026-01-01T00:00:00.000Z'));
    return w;
  }
  const kapuasApbd = draftOf(findProgramme('kapuas-2026-apbd')!);

  it('stores the next version with what changed; history keeps the first', async () => {
    const { store, deps } = await seeded();
    const result = await changeProgramme(deps, adminKapuas, {
      id: 'kapuas-2026-apbd',
      expectedVersion: 1,
      draft: { ...kapuasApbd, quota: { scope: 'programme', limit: 5_500 } },
      reason: 'Keputusan Bupati perubahan',
    });
    expect(result).toMatchObject({ ok: true, changes: [{ field: 'quota.limit', from: 5_000, to: 5_500 }] });
    const history = await store.history('kapuas-2026-apbd');
    expect(history.map((p) => [p.version, p.changedBy])).toEqual([
      [1, SEED_ACTOR],
      [2, 'admin:admin-62.03'],
    ]);
  });

  it('refuses an edit of a version someone else has moved on from', async () => {
    const { deps } = await seeded();
    const edit = (limit: number) =>
      changeProgramme(deps, adminKapuas, {
        id: 'kapuas-2026-apbd',
        expectedVersion: 1,
        draft: { ...kapuasApbd, quota: { scope: 'programme', limit } },
      });
    expect((await edit(5_500)).ok).toBe(true);
    expect(await edit(6_000)).toMatchObject({ ok: false, status: 409, code: 'VERSION_CONFLICT' });
  });

  it('hides another regency programme from its admin (404), and refuses other roles of its own (403)', async () => {
    const { deps } = await seeded();
    const input = { id: 'kapuas-2026-apbd', expectedVersion: 1, draft: { ...kapuasApbd, name: 'x' } };
    expect(await changeProgramme(deps, adminKubuRaya, input)).toMatchObject({ status: 404 });
    expect(await changeProgramme(deps, principal('verifier', '62.03'), input)).toMatchObject({ status: 403 });
  });

  it('refuses what would break what stands, after reading only the parts the change touches', async () => {
    const { deps, asked, store } = await seeded({ reserved: { scope: 'programme', count: 4_900 } });
    const result = await changeProgramme(deps, adminKapuas, {
      id: 'kapuas-2026-apbd',
      expectedVersion: 1,
      draft: { ...kapuasApbd, quota: { scope: 'programme', limit: 4_000 } },
    });
    expect(result).toMatchObject({
      ok: false,
      status: 422,
      code: 'REFUSED',
      refusals: [{ code: 'QUOTA_BELOW_RESERVED' }],
    });
    expect(asked).toEqual([{ quota: true, enrolled: false, bills: false }]);
    expect((await store.history('kapuas-2026-apbd')).length).toBe(1);
  });

  it('tells the old and the new approver, and the team, when the approver changes; nobody otherwise', async () => {
    const { deps, sent } = await seeded();
    const quota = await changeProgramme(deps, adminKapuas, {
      id: 'kapuas-2026-apbd',
      expectedVersion: 1,
      draft: { ...kapuasApbd, quota: { scope: 'programme', limit: 5_500 } },
    });
    expect(quota.ok).toBe(true);
    expect(sent).toEqual([]);
    const moved = await changeProgramme(deps, adminKapuas, {
      id: 'kapuas-2026-apbd',
      expectedVersion: 2,
      draft: { ...kapuasApbd, quota: { scope: 'programme', limit: 5_500 }, approverEmail: 'admin@pribadi.example' },
      reason: 'kepala dinas cuti',
    });
    expect(moved.ok).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual([kapuasApbd.approverEmail, 'admin@pribadi.example', 'tim@dinsos.local']);
    expect(sent[0]!.subject).toBe('[Jaring] Pemberi persetujuan program kapuas-2026-apbd diubah');
    expect(sent[0]!.text).toContain(`- sebelumnya: ${kapuasApbd.approverEmail}\n- sekarang: admin@pribadi.example`);
    expect(sent[0]!.text).toContain(
      'Diubah oleh admin:admin-62.03 pada 03-12-2026 09.00.00 WIB. Alasan: kepala dinas cuti.',
    );
    expect(sent[0]!.text).toContain('Dinas Sosial Kabupaten Kapuas');
    // A refused change tells nobody: it changed nothing.
    const stale = await changeProgramme(deps, adminKapuas, {
      id: 'kapuas-2026-apbd',
      expectedVersion: 2,
      draft: { ...kapuasApbd, approverEmail: 'lain@pribadi.example' },
    });
    expect(stale).toMatchObject({ ok: false, code: 'VERSION_CONFLICT' });
    expect(sent).toHaveLength(1);
  });

  it('refuses a save that changes nothing', async () => {
    const { deps } = await seeded();
    expect(
      await changeProgramme(deps, adminKapuas, { id: 'kapuas-2026-apbd', expectedVersion: 1, draft: kapuasApbd }),
    ).toMatchObject({ ok: false, code: 'NOTHING_CHANGED' });
  });
});

describe('seeding', () => {
  it('puts each absent seed programme once, and never touches an edited one', async () => {
    const { store, deps } = world();
    expect((await seedProgrammes(store, allProgrammes(), new Date())).added).toHaveLength(allProgrammes().length);
    await changeProgramme(deps, adminKapuas, {
      id: 'kapuas-2026-apbd',
      expectedVersion: 1,
      draft: { ...draftOf(findProgramme('kapuas-2026-apbd')!), name: 'Diubah' },
    });
    expect((await seedProgrammes(store, allProgrammes(), new Date())).added).toEqual([]);
    expect((await store.history('kapuas-2026-apbd')).at(-1)).toMatchObject({ version: 2, name: 'Diubah' });
  });
});
