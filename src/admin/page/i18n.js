// The admin page's words in Brazilian Portuguese (the default) and English, and its dates:
// always in America/Sao_Paulo, the team's time, whatever the browser's own zone is.

const LANG_KEY = 'ponteAdminLang';
export const LANGS = { 'pt-BR': 'Português (Brasil)', en: 'English' };
export const TIME_ZONE = 'America/Sao_Paulo';

const WORDS = {
  'pt-BR': {
    title: 'ponte · administração',
    heading: 'ponte · administração',
    language: 'Idioma',
    queueBoard: 'Painel de filas',
    signOut: 'Sair',
    apiKey: 'Chave de API de administrador',
    signIn: 'Entrar',
    keyNote: 'A chave fica nesta aba (sessionStorage) e é enviada como token Bearer.',
    timeZoneNote: 'Horários de Brasília (America/Sao_Paulo).',
    dashboard: 'Visão geral',
    chartTitle: 'Integrações por hora nas últimas 24 h, por resultado',
    chartEmpty: 'Nenhuma integração terminou nas últimas 24 h.',
    byStatus: 'Integrações por status',
    backlog: 'Fila do outbox',
    oldestPending: 'Pendente mais antiga',
    none: 'nenhuma',
    erp: 'ERP',
    since: 'desde {at}',
    updated: 'atualizado às {at}',
    filterStatus: 'Status',
    errorCode: 'Código de erro',
    clientCode: 'Código do cliente',
    refresh: 'Atualizar',
    bulkReplay: 'Reprocessar todas as filtradas',
    anyStatus: 'todos',
    colCreated: 'Criada', colId: 'Id', colStatus: 'Status', colConnector: 'Conector', colClient: 'Cliente', colSubject: 'Assunto',
    colLastError: 'Último erro', colAttempts: 'Tentativas', colReplays: 'Reprocessamentos',
    more: 'Mais',
    nothing: 'Nada corresponde a este filtro.',
    details: 'Detalhes', replay: 'Reprocessar',
    integration: 'Integração',
    request: 'Requisição',
    replayWithPatch: 'Reprocessar com correção',
    patchNote: 'JSON Merge Patch da requisição: {"productId": "…"}; null remove um campo.',
    replayPatch: 'Reprocessar com a correção',
    cancelIntegration: 'Cancelar integração',
    close: 'Fechar',
    attempts: 'Tentativas',
    audit: 'Auditoria',
    colReplay: 'Reprocessamento', colAttempt: 'Tentativa', colStarted: 'Início', colDuration: 'Duração', colOutcome: 'Resultado', colError: 'Erro', colExchanges: 'Trocas',
    exchanges: '{n} troca(s)',
    lastError: 'Último erro {code}: {message}',
    erpProcess: 'Processo no ERP {n}',
    keyRefused: 'A chave foi recusada; entre novamente.',
    queued: 'Integração {id} enviada de novo (reprocessamento {n}).',
    replayRefused: 'Reprocessamento recusado: {message}',
    confirmBulk: 'Reprocessar todas as integrações deste filtro?',
    bulkQueued: '{n} integração(ões) enviada(s) para reprocessamento.',
    bulkRefused: 'Reprocessamento em lote recusado: {message}',
    cannotOpen: 'Não foi possível abrir {id}: {message}',
    badPatch: 'A correção não é um objeto JSON: {message}',
    cancelled: 'Integração cancelada.',
    cancelRefused: 'Cancelamento recusado: {message}',
    'status.pending': 'pendente', 'status.running': 'em execução', 'status.succeeded': 'concluída', 'status.failed': 'falhou',
    'status.dead': 'esgotada', 'status.cancelled': 'cancelada', 'status.retrying': 'nova tentativa',
    'erp.up': 'respondendo', 'erp.degraded': 'degradado', 'erp.unknown': 'desconhecido',
  },
  en: {
    title: 'ponte · admin',
    heading: 'ponte admin',
    language: 'Language',
    queueBoard: 'Queue board',
    signOut: 'Sign out',
    apiKey: 'Admin API key',
    signIn: 'Sign in',
    keyNote: 'The key stays in this tab (sessionStorage) and is sent as a Bearer token.',
    timeZoneNote: 'Times in Brasília time (America/Sao_Paulo).',
    dashboard: 'Overview',
    chartTitle: 'Integrations per hour over the last 24 h, by outcome',
    chartEmpty: 'No integration finished in the last 24 h.',
    byStatus: 'Integrations by status',
    backlog: 'Outbox backlog',
    oldestPending: 'Oldest pending',
    none: 'none',
    erp: 'ERP',
    since: 'since {at}',
    updated: 'updated {at}',
    filterStatus: 'Status',
    errorCode: 'Error code',
    clientCode: 'Client code',
    refresh: 'Refresh',
    bulkReplay: 'Replay all matching',
    anyStatus: 'all',
    colCreated: 'Created', colId: 'Id', colStatus: 'Status', colConnector: 'Connector', colClient: 'Client', colSubject: 'Subject',
    colLastError: 'Last error', colAttempts: 'Attempts', colReplays: 'Replays',
    more: 'More',
    nothing: 'Nothing matches this filter.',
    details: 'Details', replay: 'Replay',
    integration: 'Integration',
    request: 'Request',
    replayWithPatch: 'Replay with a patch',
    patchNote: 'JSON Merge Patch of the request: {"productId": "…"}; null removes a field.',
    replayPatch: 'Replay with patch',
    cancelIntegration: 'Cancel integration',
    close: 'Close',
    attempts: 'Attempts',
    audit: 'Audit',
    colReplay: 'Replay', colAttempt: 'Attempt', colStarted: 'Started', colDuration: 'Duration', colOutcome: 'Outcome', colError: 'Error', colExchanges: 'Exchanges',
    exchanges: '{n} exchange(s)',
    lastError: 'Last error {code}: {message}',
    erpProcess: 'ERP process {n}',
    keyRefused: 'The key was refused; sign in again.',
    queued: 'Integration {id} queued again (replay {n}).',
    replayRefused: 'Replay refused: {message}',
    confirmBulk: 'Replay every integration matching this filter?',
    bulkQueued: '{n} integration(s) queued for replay.',
    bulkRefused: 'Bulk replay refused: {message}',
    cannotOpen: 'Cannot open {id}: {message}',
    badPatch: 'The patch is not a JSON object: {message}',
    cancelled: 'Integration cancelled.',
    cancelRefused: 'Cancel refused: {message}',
    'status.pending': 'pending', 'status.running': 'running', 'status.succeeded': 'succeeded', 'status.failed': 'failed',
    'status.dead': 'dead', 'status.cancelled': 'cancelled', 'status.retrying': 'retrying',
    'erp.up': 'answering', 'erp.degraded': 'degraded', 'erp.unknown': 'unknown',
  },
};

let lang = WORDS[localStorage.getItem(LANG_KEY)] ? localStorage.getItem(LANG_KEY) : 'pt-BR';

export const currentLang = () => lang;

export function setLang(next) {
  if (!WORDS[next]) return;
  lang = next;
  localStorage.setItem(LANG_KEY, next);
  applyWords();
}

/** The word for `key`, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = WORDS[lang][key] ?? WORDS['pt-BR'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** Fills every element marked data-i18n (its text) or data-i18n-placeholder. */
export function applyWords() {
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of document.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = t(e.dataset.i18nPlaceholder);
}

const formatters = new Map();
function formatter(kind) {
  const key = `${lang}|${kind}`;
  if (!formatters.has(key)) {
    const options = kind === 'hour' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : kind === 'time' ? { timeStyle: 'medium', hourCycle: 'h23' } : { dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23' };
    formatters.set(key, new Intl.DateTimeFormat(lang, { ...options, timeZone: TIME_ZONE }));
  }
  return formatters.get(key);
}

/** An instant as date and time in São Paulo ('' for none). */
export const when = (iso) => (iso ? formatter('date').format(new Date(iso)) : '');
/** The time of day in São Paulo. */
export const timeOf = (date) => formatter('time').format(date);
/** The hour (HH:00) in São Paulo. */
export const hourOf = (iso) => formatter('hour').format(new Date(iso));

/** A duration in seconds as "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function age(seconds) {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
