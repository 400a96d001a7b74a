/**
 * How many participants each village has in a programme, counted where they are kept (the coverage
 * table's village index), never read record by record: a dashboard over a regency's 231 villages
 * needs the counts, not the people.
 */
export interface ParticipantCounts {
  /** Participants (coverage records, whatever their status) of each village named; a village with none counts 0. */
  byVillage(programmeId: string, villageCodes: readonly string[]): Promise<Map<string, number>>;
}
