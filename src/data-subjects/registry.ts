// Where personal data lives: every table with a text or JSON column, each such column
// classified, and how a table's rows belong to a person. Find, export, anonymize, erase and
// retention all read this one list; test/data-subjects/registry.test.ts fails when a column
// of the migrated database is missing here, so a new table or column must be classified.
//
// To classify a new column: add it to its table's `columns` with a Treatment (below); a new
// table gets an entry at its place in REGISTRY (children before the rows they reference).
// A table whose rows belong to a person also says how (`owned`), and what erasure does.

/**
 * How a column is treated:
 * - `none`: holds no client's personal data (ids, statuses, staff names, configuration);
 * - `email` | `name` | `phone` | `taxId`: an identifier of the person: its stable pseudonym;
 * - `text`: free text about the person (messages, opinions, bodies, subjects typed for them): one placeholder;
 * - `label`: short text that may mention the person (external ids, error messages): identifiers replaced;
 * - `json`: free-text keys (FREE_TEXT_KEYS) become the placeholder, identifiers replaced;
 * - `file`: a path under UPLOAD_DIR: the file goes with the row;
 * - `digest`: SHA-256 digests of identifiers, kept (access records, erasure records);
 * - `working`: an erasure's own match and scope, kept only while its job runs.
 */
export type Treatment = 'none' | 'email' | 'name' | 'phone' | 'taxId' | 'text' | 'label' | 'json' | 'file' | 'digest' | 'working';

/** The kinds find counts by (the API's names). */
export type Kind =
  | 'chats' | 'messages' | 'attachments' | 'returns' | 'timelineEntries' | 'mail' | 'integrations' | 'attempts'
  | 'webhookDeliveries' | 'webhookAttempts' | 'auditEntries' | 'tasks' | 'thirdParties' | 'remoteSessions'
  | 'versionReleases' | 'erpEvents' | 'clientMarkers' | 'productVersions' | 'idempotentAnswers' | 'queuedJobs';

/** The ids collected at the start of a request, in this order; `owned` conditions use them. */
export type ScopeList = 'chats' | 'returns' | 'integrations' | 'deliveries';

export interface TableEntry {
  table: string;
  /** Primary key columns: batches walk the table in this order. */
  key: string[];
  /** Find counts and export lists the rows under this kind (the table's name when unset). */
  kind?: Kind;
  /**
   * Rows of the person, as SQL over the bound lists :chats :returns :integrations
   * :deliveries (uuid text), :clientCodes :emails :taxIds :phones. Rows outside it that
   * merely mention an identifier are scrubbed, never deleted.
   */
  owned?: string;
  /** This table's ids are collected into a scope list, with this condition. */
  collect?: { into: ScopeList; where: string };
  /** What erasure does to an owned row: delete it (the default), or keep it cleaned (outcomes, audit). */
  erase?: 'delete' | 'clean';
  /** Anonymize deletes too (a file's content cannot be anonymized). */
  anonymizeDeletes?: boolean;
  /** Foreign keys to tables whose rows erasure deletes: set to NULL first. */
  refs?: Record<string, ScopeList>;
  /** An outbox row: its BullMQ job (queue column, job id column) goes with it. */
  job?: { queue: string; id: string };
  columns: Record<string, Treatment>;
}

const ids = (list: ScopeList, column = 'id') => `${column} = ANY(:${list}::uuid[])`;

/**
 * In the order erasure works: what references a row comes before it (attempts before their
 * integration, a return's timeline before the return, returns before the chats they name).
 */
export const REGISTRY: TableEntry[] = [
  {
    table: 'outbox', key: ['id'], kind: 'queuedJobs', erase: 'delete', job: { queue: 'queue', id: 'job_id' },
    owned: `payload->'event'->'data'->>'chatId' = ANY(:chats) OR payload->'event'->'data'->>'returnId' = ANY(:returns)
      OR payload->'event'->'data'->>'integrationId' = ANY(:integrations) OR payload->'event'->'data'->>'clientCode' = ANY(:clientCodes)`,
    columns: { queue: 'none', name: 'none', job_id: 'none', payload: 'json' },
  },
  {
    table: 'idempotency_keys', key: ['owner', 'key'], kind: 'idempotentAnswers',
    columns: { owner: 'none', key: 'none', method: 'none', path: 'none', body_hash: 'none', response: 'json' },
  },
  {
    table: 'audit_events', key: ['id'], kind: 'auditEntries', erase: 'clean',
    owned: `target_id = ANY(:chats) OR target_id = ANY(:returns) OR target_id = ANY(:integrations)`,
    // The actor of a client's own action (a portal answer) is the client's e-mail.
    columns: { actor: 'label', action: 'none', target_type: 'none', target_id: 'none', changes: 'json' },
  },
  {
    table: 'webhook_attempts', key: ['id'], kind: 'webhookAttempts', erase: 'delete', owned: ids('deliveries', 'delivery_id'),
    columns: { response_excerpt: 'text', error_code: 'none', error_message: 'label', outcome: 'none', request_id: 'none', trace_id: 'none' },
  },
  {
    table: 'webhook_deliveries', key: ['id'], kind: 'webhookDeliveries', erase: 'delete', owned: ids('deliveries'),
    collect: {
      into: 'deliveries',
      where: `payload->'data'->>'chatId' = ANY(:chats) OR payload->'data'->>'returnId' = ANY(:returns)
        OR payload->'data'->>'integrationId' = ANY(:integrations) OR payload->'data'->>'clientCode' = ANY(:clientCodes)`,
    },
    columns: { event_id: 'none', event_type: 'none', payload: 'json', status: 'none', last_error: 'label' },
  },
  {
    table: 'integration_attempts', key: ['id'], kind: 'attempts', erase: 'clean', owned: ids('integrations', 'integration_id'),
    columns: { outcome: 'none', error_code: 'none', error_message: 'label', exchanges: 'json', request_id: 'none', trace_id: 'none' },
  },
  {
    table: 'integrations', key: ['id'], kind: 'integrations', erase: 'clean', owned: ids('integrations'),
    collect: { into: 'integrations', where: `${ids('chats', 'chat_id')} OR return_id = ANY(:returns) OR client_code = ANY(:clientCodes)` },
    refs: { chat_id: 'chats' },
    columns: {
      return_id: 'none', kind: 'none', status: 'none', connector: 'none', client_code: 'none', request: 'json', opinion: 'text',
      erp_process_number: 'none', error_code: 'none', error_message: 'label',
    },
  },
  {
    table: 'mail_messages', key: ['id'], kind: 'mail', erase: 'delete', owned: `${ids('returns', 'return_id')} OR lower(to_address) = ANY(:emails)`,
    columns: {
      kind: 'none', to_address: 'email', to_name: 'name', subject: 'text', text: 'text', html: 'text', status: 'none', last_error: 'label', message_id: 'none',
      // The portal link, sealed with PONTE_SECRET_KEY until the mail is sent; it goes with the row.
      secret_link: 'none',
    },
  },
  {
    table: 'return_third_parties', key: ['id'], kind: 'thirdParties', erase: 'delete', owned: ids('returns', 'return_id'),
    columns: { email: 'email', name: 'name', invited_by: 'none' },
  },
  {
    table: 'return_tasks', key: ['id'], kind: 'tasks', erase: 'delete', owned: ids('returns', 'return_id'),
    columns: { title: 'label', assignee_id: 'none', done_by: 'none', created_by: 'none' },
  },
  {
    table: 'return_attachments', key: ['id'], kind: 'attachments', erase: 'delete', anonymizeDeletes: true, owned: ids('returns', 'return_id'),
    columns: { filename: 'text', content_type: 'none', path: 'file', uploaded_by: 'none', link_token_hash: 'none' },
  },
  {
    table: 'return_timeline', key: ['id'], kind: 'timelineEntries', erase: 'delete', owned: ids('returns', 'return_id'),
    columns: {
      kind: 'none', author_kind: 'none', author: 'label', event: 'none', channel: 'none', text: 'text', html: 'text', quoted: 'text',
      attachments: 'json', data: 'json',
    },
  },
  { table: 'return_links', key: ['return_a', 'return_b'], columns: { origin: 'none', created_by: 'none' } },
  {
    table: 'returns', key: ['id'], kind: 'returns', erase: 'delete', owned: ids('returns'),
    collect: { into: 'returns', where: `client_email = ANY(:emails) OR client_code = ANY(:clientCodes) OR ${ids('chats', 'chat_id')}` },
    refs: { chat_id: 'chats', cloned_from: 'returns' },
    columns: {
      type: 'none', status: 'none', client_email: 'email', client_code: 'none', crm_process_number: 'none', contact_person: 'name',
      responsible_user_id: 'none', department_id: 'none', subject: 'text', description: 'text', portal_token_hash: 'none', created_by: 'none',
      subject_id: 'none', sub_subject_id: 'none', situation: 'none', priority: 'none', product_id: 'none',
    },
  },
  // Helpdesk adapters (src/helpdesks/): a delivery keeps its payload only while the message list is read.
  {
    table: 'helpdesk_note_attempts', key: ['id'], erase: 'delete',
    owned: `note_id IN (SELECT id FROM helpdesk_notes WHERE ${ids('chats', 'chat_id')} OR ${ids('integrations', 'integration_id')})`,
    columns: { response_excerpt: 'text', error_code: 'none', error_message: 'label', outcome: 'none' },
  },
  {
    table: 'helpdesk_notes', key: ['id'], erase: 'delete', owned: `${ids('chats', 'chat_id')} OR ${ids('integrations', 'integration_id')}`,
    columns: { helpdesk: 'none', conversation: 'none', kind: 'none', source_key: 'none', text: 'label', status: 'none', last_error: 'label' },
  },
  {
    table: 'helpdesk_deliveries', key: ['id'], erase: 'delete',
    owned: `${ids('chats', 'chat_id')} OR external_id IN (SELECT external_id FROM chats WHERE ${ids('chats')})`,
    columns: { helpdesk: 'none', delivery_id: 'none', external_id: 'none', status: 'none', payload: 'json', conversation: 'none', last_error: 'label', completion_error: 'label' },
  },
  { table: 'helpdesk_conversations', key: ['chat_id'], erase: 'delete', owned: ids('chats', 'chat_id'), columns: { helpdesk: 'none', conversation: 'none' } },
  {
    table: 'attachments', key: ['id'], kind: 'attachments', erase: 'delete', anonymizeDeletes: true, owned: ids('chats', 'chat_id'),
    columns: { filename: 'text', content_type: 'none', path: 'file', uploaded_by: 'none' },
  },
  {
    table: 'messages', key: ['id'], kind: 'messages', erase: 'delete', owned: ids('chats', 'chat_id'),
    columns: { sender: 'none', author_name: 'label', agent_id: 'none', text: 'text' },
  },
  {
    table: 'remote_sessions', key: ['id'], kind: 'remoteSessions', erase: 'delete', owned: ids('chats', 'chat_id'),
    columns: {
      agent_id: 'none', provider: 'none', provider_session_id: 'none', access_code: 'none', link: 'none', state: 'none', error_code: 'none', error_message: 'label',
    },
  },
  { table: 'remote_session_states', key: ['id'], columns: { state: 'none' } },
  {
    table: 'version_releases', key: ['id'], kind: 'versionReleases', erase: 'delete', owned: ids('chats', 'chat_id'),
    columns: {
      client_code: 'none', system: 'none', version: 'none', entitled: 'none', agent_id: 'none', requested_by: 'none', status: 'none',
      updater_release_id: 'none', error_code: 'none', error_message: 'label',
    },
  },
  {
    table: 'chats', key: ['id'], kind: 'chats', erase: 'delete', owned: ids('chats'),
    collect: {
      into: 'chats',
      where: `client_email = ANY(:emails) OR client_code = ANY(:clientCodes) OR lower(client->>'email') = ANY(:emails)
        OR ponte_tax_key(client->>'taxId') = ANY(:taxIds) OR ponte_phone_key(client->>'phone') = ANY(:phones)`,
    },
    columns: {
      // The helpdesk's own id for a finished session: free to hold anything, so scrubbed.
      external_id: 'label', status: 'none', department_id: 'none', agent_id: 'none', last_agent_id: 'none', transfer_to_agent_id: 'none', transferred_from_agent_id: 'none',
      client: 'json', client_email: 'email', client_code: 'none', subject: 'text', advance_opinion: 'text',
    },
  },
  {
    table: 'erp_events', key: ['id'], kind: 'erpEvents', erase: 'delete', owned: 'client_code = ANY(:clientCodes)',
    columns: { id: 'none', type: 'none', client_code: 'none', data: 'json', outcome: 'none' },
  },
  {
    table: 'client_markers', key: ['client_code'], kind: 'clientMarkers', erase: 'delete', owned: 'client_code = ANY(:clientCodes)',
    columns: { client_code: 'none', reason: 'label', markers: 'json' },
  },
  {
    table: 'client_product_versions', key: ['client_code', 'system'], kind: 'productVersions', erase: 'delete', owned: 'client_code = ANY(:clientCodes)',
    columns: { client_code: 'none', system: 'none', used: 'none', entitled: 'none', downloaded: 'none' },
  },
  // No client's personal data: configuration, staff and the machinery.
  { table: 'schema_migrations', key: ['version'], columns: { version: 'none' } },
  { table: 'api_keys', key: ['id'], columns: { name: 'none', roles: 'none', hash: 'none', profile_id: 'none' } },
  { table: 'departments', key: ['id'], columns: { id: 'none', name: 'none', systems: 'none' } },
  // Agents are staff: their names are not a client's data.
  { table: 'agents', key: ['id'], columns: { id: 'none', name: 'none', department_ids: 'none', profile_id: 'none' } },
  { table: 'reply_templates', key: ['id'], columns: { name: 'none', text: 'none', format: 'none', created_by: 'none' } },
  {
    table: 'webhook_subscriptions', key: ['id'],
    columns: { url: 'none', events: 'none', secret: 'none', status: 'none', disabled_reason: 'none', created_by: 'none' },
  },
  { table: 'spellcheck_words', key: ['word'], columns: { word: 'none', added_by: 'none' } },
  { table: 'profiles', key: ['id'], columns: { id: 'none', name: 'none', permissions: 'none' } },
  {
    table: 'subjects', key: ['id'],
    columns: { id: 'none', name: 'none', sub_subjects: 'none', required_fields: 'none', situations: 'none', moves: 'none' },
  },
  {
    table: 'data_subject_erasures', key: ['id'],
    columns: {
      mode: 'none', status: 'none', request_key: 'none', match_digests: 'digest', match: 'working', scope: 'working', progress: 'none',
      cursor: 'none', erp_records: 'none', pseudonym: 'none', requested_by: 'none', error: 'none',
    },
  },
  // Digests of the helpdesk ids of removed chats (migration 103): they keep a session from being written twice.
  { table: 'forgotten_sessions', key: ['digest'], columns: { digest: 'digest' } },
  // Rate-limit counters: buckets are digests of an address or a key id, kept one window.
  { table: 'rate_limit_hits', key: ['bucket', 'window_start'], columns: { bucket: 'none' } },
  // Kept for ACCESS_LOG_RETENTION_DAYS whatever the erasures (Marco Civil art. 15): the person is only digests and record ids.
  {
    table: 'access_log', key: ['id'],
    columns: { key_name: 'none', agent_id: 'none', action: 'none', target_type: 'none', target_id: 'none', subject_digests: 'digest', ip: 'none', request_id: 'none' },
  },
];

/** Treatments whose values may hold a person's identifiers (scanned for mentions, scrubbed). */
export const PERSONAL: ReadonlySet<Treatment> = new Set(['email', 'name', 'phone', 'taxId', 'text', 'label', 'json']);

export function personalColumns(entry: TableEntry): string[] {
  return Object.entries(entry.columns).filter(([, t]) => PERSONAL.has(t)).map(([c]) => c);
}
