import { describe, expect, it } from 'vitest';
import { indexWriteUnits, type TableDesign } from '../../bench/units';

const designs = new Map<string, TableDesign>([
  [
    'coverage',
    {
      keys: ['nik', 'programmeId'],
      indexes: [
        { keys: ['programmeVillage', 'nik'], projection: 'KEYS_ONLY', include: [] },
        { keys: ['billable', 'billableSort'], projection: 'INCLUDE', include: ['start', 'end'] },
      ],
    },
  ],
  ['audit', { keys: ['entity', 'seq'], indexes: [{ keys: ['day', 'seq'], projection: 'ALL', include: [] }] }],
  ['quotas', { keys: ['pk', 'sk'], indexes: [] }],
]);

describe('index writes counted by DynamoDB’s rules (the bench’s cost)', () => {
  it('charges each index an item enters, by what it projects, and nothing for a table without indexes', () => {
    const coverage = {
      nik: '1',
      programmeId: 'p',
      programmeVillage: 'p#v',
      billable: 'p#1',
      billableSort: 's',
      start: 'a',
    };
    // Both indexes: the item has both keys.
    expect(indexWriteUnits('PutCommand', { TableName: 'coverage', Item: coverage }, designs)).toBe(2);
    // A lapsed coverage leaves the sparse index: one.
    const { billable: _b, ...lapsed } = coverage;
    expect(indexWriteUnits('PutCommand', { TableName: 'coverage', Item: lapsed }, designs)).toBe(1);
    // ALL projects the whole item: 3 KB of event, three units.
    const event = { entity: 'e', seq: '1', day: '2026-12-03', details: 'x'.repeat(3000) };
    expect(indexWriteUnits('PutCommand', { TableName: 'audit', Item: event }, designs)).toBe(3);
    expect(indexWriteUnits('PutCommand', { TableName: 'quotas', Item: { pk: 'a', sk: 'b' } }, designs)).toBe(0);
  });

  it('adds up a transaction’s items and counts one entry for each index an update or delete touches', () => {
    const input = {
      TransactItems: [
        { Put: { TableName: 'coverage', Item: { nik: '1', programmeId: 'p', programmeVillage: 'p#v' } } },
        { Put: { TableName: 'audit', Item: { entity: 'e', seq: '1', day: 'd' } } },
        { Update: { TableName: 'coverage' } },
        { ConditionCheck: { TableName: 'audit' } },
      ],
    };
    expect(indexWriteUnits('TransactWriteCommand', input, designs)).toBe(1 + 1 + 2);
    expect(indexWriteUnits('QueryCommand', { TableName: 'coverage' }, designs)).toBeUndefined();
  });
});
