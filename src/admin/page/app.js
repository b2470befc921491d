// The admin page: the dashboard (dashboard.js), failed/dead integrations with their last
// error, a detail view with the attempts, replay (optionally with a JSON patch), bulk replay
// and cancel. pt-BR by default, English selectable (i18n.js). No build step; every value
// from the API is rendered as text (never as HTML).

import { t, when, timeOf, setLang, currentLang, applyWords } from './i18n.js';
import { renderDashboard } from './dashboard.js';

const KEY = 'ponteAdminKey';
const REFRESH_MS = 2000;
/** The dashboard's figures change slowly and cost a few queries: refreshed less often. */
const DASHBOARD_MS = 10_000;
const PAGE = 100;
const MAX_LIMIT = 500;
const state = { key: sessionStorage.getItem(KEY), rows: new Map(), tracked: new Set(), limit: PAGE, more: false, detailId: null, timer: null, dashboardTimer: null, dashboard: null };
const $ = (id) => document.getElementById(id);

class ApiError extends Error {}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${state.key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => null);
  if (res.status === 401) signOut(t('keyRefused'));
  if (!res.ok) {
    const details = (data?.error?.details ?? []).map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
    throw new ApiError(details.length ? details.join('; ') : data?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  return data;
}

function say(text, kind = 'info') {
  const m = $('message');
  m.textContent = text;
  m.className = kind;
}

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

function button(label, className, onClick) {
  const b = el('button', label, className);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

const replayable = (status) => ['failed', 'dead', 'cancelled'].includes(status);

function filterParams() {
  const p = new URLSearchParams();
  const status = $('filter-status').value;
  if (status) p.set('status', status);
  if ($('filter-error-code').value.trim()) p.set('errorCode', $('filter-error-code').value.trim());
  if ($('filter-client-code').value.trim()) p.set('clientCode', $('filter-client-code').value.trim());
  return p;
}

function statusCell(status) {
  const td = el('td', t(`status.${status}`), `status ${status}`);
  td.dataset.status = status;
  return td;
}

function renderRow(item) {
  const tr = el('tr');
  tr.dataset.id = item.id;
  tr.dataset.status = item.status;
  tr.append(
    el('td', when(item.createdAt)),
    el('td', item.id.slice(0, 8), 'id'),
    statusCell(item.status),
    el('td', item.connector),
    el('td', item.clientCode),
    el('td', item.subject),
    el('td', item.lastError ? `${item.lastError.code}: ${item.lastError.message}` : '', 'error'),
    el('td', item.attempts),
    el('td', item.replays),
  );
  const actions = el('td', null, 'actions');
  actions.append(button(t('details'), 'details', () => openDetail(item.id)));
  if (replayable(item.status)) actions.append(button(t('replay'), 'replay', () => replay(item.id)));
  tr.append(actions);
  return tr;
}

function renderTable() {
  const body = $('integrations').querySelector('tbody');
  const rows = [...state.rows.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  body.replaceChildren(...rows.map(renderRow));
  if (rows.length === 0) {
    const tr = el('tr');
    const td = el('td', t('nothing'), 'empty');
    td.colSpan = 10;
    tr.append(td);
    body.append(tr);
  }
  $('more').hidden = !state.more;
}

async function load() {
  const params = filterParams();
  params.set('limit', String(state.limit));
  const page = await api('GET', `/v1/admin/integrations?${params}`);
  // Rows the admin acted on stay on screen until the page is reloaded, whatever the filter,
  // so a replay can be watched to its end.
  for (const id of [...state.rows.keys()]) if (!state.tracked.has(id)) state.rows.delete(id);
  for (const item of page.items) state.rows.set(item.id, item);
  state.more = Boolean(page.nextCursor) && state.limit < MAX_LIMIT;
  await Promise.all([...state.tracked].filter((id) => !page.items.some((i) => i.id === id)).map(async (id) => {
    const d = await api('GET', `/v1/admin/integrations/${id}`);
    state.rows.set(id, { ...d, subject: d.request?.subject ?? null });
  }));
  renderTable();
  $('refreshed').textContent = t('updated', { at: timeOf(new Date()) });
  if (state.detailId) await openDetail(state.detailId, { quiet: true });
}

async function replay(id, patch) {
  try {
    const view = await api('POST', `/v1/admin/integrations/${id}/replay`, patch ? { patch } : {});
    state.tracked.add(id);
    state.rows.set(id, { ...state.rows.get(id), ...view, subject: view.request?.subject ?? null });
    renderTable();
    say(t('queued', { id: id.slice(0, 8), n: view.replays }), 'ok');
  } catch (err) {
    say(t('replayRefused', { message: err.message }), 'error');
  }
}

async function bulkReplay() {
  const params = filterParams();
  const filter = {};
  for (const [k, v] of params) filter[k] = k === 'status' ? v.split(',') : v;
  if (!confirm(t('confirmBulk'))) return;
  try {
    const { queued } = await api('POST', '/v1/admin/integrations/replay', { filter });
    say(t('bulkQueued', { n: queued }), 'ok');
    await load();
  } catch (err) {
    say(t('bulkRefused', { message: err.message }), 'error');
  }
}

function renderAttempt(a) {
  const tr = el('tr');
  const exchanges = el('td');
  if (a.exchanges?.length) {
    const d = el('details');
    d.append(el('summary', t('exchanges', { n: a.exchanges.length })), el('pre', JSON.stringify(a.exchanges, null, 2)));
    exchanges.append(d);
  }
  tr.append(el('td', a.replay), el('td', a.attempt), el('td', when(a.startedAt)), el('td', `${a.durationMs} ms`), statusCell(a.outcome), el('td', a.error ? `${a.error.code}: ${a.error.message}` : ''), exchanges);
  return tr;
}

async function openDetail(id, { quiet = false } = {}) {
  try {
    const d = await api('GET', `/v1/admin/integrations/${id}`);
    state.detailId = id;
    $('detail').hidden = false;
    $('detail-id').textContent = d.id;
    $('detail-status').textContent = t(`status.${d.status}`);
    $('detail-status').className = `status ${d.status}`;
    $('detail-status').dataset.status = d.status;
    $('detail-error').textContent = d.lastError ? t('lastError', d.lastError) : d.erpProcessNumber ? t('erpProcess', { n: d.erpProcessNumber }) : '';
    $('detail-request').textContent = JSON.stringify(d.request, null, 2);
    $('attempts').querySelector('tbody').replaceChildren(...d.attemptsLog.map(renderAttempt));
    $('detail-audit').replaceChildren(...d.audit.map((e) => el('li', `${when(e.at)} · ${e.actor} · ${e.action} · ${JSON.stringify(e.changes)}`)));
  } catch (err) {
    if (!quiet) say(t('cannotOpen', { id, message: err.message }), 'error');
  }
}

function readPatch() {
  const raw = $('patch').value.trim() || '{}';
  try {
    const patch = JSON.parse(raw);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error('not an object');
    return patch;
  } catch (err) {
    say(t('badPatch', { message: err.message }), 'error');
    return undefined;
  }
}

async function loadDashboard() {
  state.dashboard = await api('GET', '/v1/admin/dashboard');
  renderDashboard(state.dashboard);
}

function startRefresh() {
  clearInterval(state.timer);
  clearInterval(state.dashboardTimer);
  state.timer = setInterval(() => load().catch((err) => say(err.message, 'error')), REFRESH_MS);
  state.dashboardTimer = setInterval(() => loadDashboard().catch((err) => say(err.message, 'error')), DASHBOARD_MS);
}

/** Words that are not in the HTML: the status filter's labels, the rows, the dashboard. */
function relabel() {
  applyWords();
  for (const option of $('filter-status').querySelectorAll('option[data-statuses]')) {
    option.textContent = option.dataset.statuses.split(',').map((s) => t(`status.${s}`)).join(' + ');
  }
  if (state.key && !$('main-view').hidden) {
    renderTable();
    if (state.dashboard) renderDashboard(state.dashboard);
    if (state.detailId) openDetail(state.detailId, { quiet: true });
  }
}

async function signIn(key) {
  state.key = key;
  try {
    await api('GET', '/v1/admin/integrations?limit=1');
  } catch (err) {
    state.key = null;
    $('login-view').hidden = false;
    say(err.message, 'error');
    return;
  }
  sessionStorage.setItem(KEY, key);
  // A cookie for the queue board, whose pages a browser opens without a Bearer header.
  await api('POST', '/v1/admin/session', {}).catch(() => undefined);
  $('login-view').hidden = true;
  $('main-view').hidden = false;
  $('nav').hidden = false;
  say('');
  await Promise.all([load(), loadDashboard()]).catch((err) => say(err.message, 'error'));
  startRefresh();
}

function signOut(reason = '') {
  if (state.key) fetch('/v1/admin/session', { method: 'DELETE', headers: { authorization: `Bearer ${state.key}` } }).catch(() => undefined);
  clearInterval(state.timer);
  clearInterval(state.dashboardTimer);
  sessionStorage.removeItem(KEY);
  Object.assign(state, { key: null, rows: new Map(), tracked: new Set(), limit: PAGE, more: false, detailId: null, dashboard: null });
  $('main-view').hidden = true;
  $('nav').hidden = true;
  $('login-view').hidden = false;
  say(reason, reason ? 'error' : 'info');
}

document.addEventListener('DOMContentLoaded', () => {
  $('lang').value = currentLang();
  relabel();
  $('lang').addEventListener('change', () => {
    setLang($('lang').value);
    relabel();
  });
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn($('api-key').value.trim());
  });
  $('logout').addEventListener('click', () => signOut());
  $('filter-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.limit = PAGE;
    load().catch((err) => say(err.message, 'error'));
  });
  $('more').addEventListener('click', () => {
    state.limit = Math.min(MAX_LIMIT, state.limit + PAGE);
    load().catch((err) => say(err.message, 'error'));
  });
  $('bulk-replay').addEventListener('click', bulkReplay);
  $('replay-patch').addEventListener('click', () => {
    const patch = readPatch();
    if (patch && state.detailId) replay(state.detailId, patch);
  });
  $('cancel-integration').addEventListener('click', async () => {
    if (!state.detailId) return;
    try {
      await api('POST', `/v1/admin/integrations/${state.detailId}/cancel`);
      state.tracked.add(state.detailId);
      say(t('cancelled'), 'ok');
      await load();
    } catch (err) {
      say(t('cancelRefused', { message: err.message }), 'error');
    }
  });
  $('close-detail').addEventListener('click', () => {
    state.detailId = null;
    $('detail').hidden = true;
  });
  if (state.key) signIn(state.key);
});
