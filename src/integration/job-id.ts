// The BullMQ job id of an integration's current run: its id, then one per replay (BullMQ
// refuses custom ids with one ':'; the replay number keeps each replay's job distinct).

export const replayJobId = (id: string, replay: number): string => `${id}-r${replay}`;

export const integrationJobId = (row: { id: string; replays: number }): string => (row.replays === 0 ? row.id : replayJobId(row.id, row.replays));

/** The same in SQL, for a row aliased `i`. */
export const INTEGRATION_JOB_ID_SQL = `CASE WHEN i.replays = 0 THEN i.id::text ELSE i.id::text || '-r' || i.replays END`;
