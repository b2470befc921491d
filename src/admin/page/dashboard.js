// The dashboard at the top of the admin page: a stacked bar chart (SVG, drawn here) of the
// integrations that finished in each of the last 24 hours by outcome, the counts by status,
// the outbox backlog, the oldest pending integration's age and the ERP's state.

import { t, hourOf, when, age } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
export const OUTCOMES = ['succeeded', 'failed', 'dead', 'cancelled'];
const STATUSES = ['pending', 'running', 'succeeded', 'failed', 'dead', 'cancelled'];
const WIDTH = 720;
const HEIGHT = 200;
const AXIS = 20;
const TOP = 16;

const $ = (id) => document.getElementById(id);

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function html(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

/** One group per hour (oldest first), one bar per outcome, stacked; heights to scale. */
function renderChart(hourly) {
  const chart = $('chart');
  const totals = hourly.map((h) => OUTCOMES.reduce((sum, o) => sum + h.counts[o], 0));
  const max = Math.max(1, ...totals);
  const slot = WIDTH / hourly.length;
  const plot = HEIGHT - AXIS - TOP;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img', 'aria-label': t('chartTitle'), 'data-max': max });
  root.append(svg('line', { x1: 0, y1: TOP + plot, x2: WIDTH, y2: TOP + plot, class: 'axis' }));
  root.append(svg('text', { x: 2, y: TOP - 4, class: 'scale' }, String(max)));
  hourly.forEach((h, i) => {
    const g = svg('g', { class: 'hour', 'data-hour': h.hour, 'data-total': totals[i] });
    let y = TOP + plot;
    for (const outcome of OUTCOMES) {
      const n = h.counts[outcome];
      if (n === 0) continue;
      const height = (n / max) * plot;
      y -= height;
      const bar = svg('rect', { x: i * slot + 2, y, width: slot - 4, height, class: `bar ${outcome}`, 'data-outcome': outcome, 'data-count': n });
      bar.append(svg('title', {}, `${hourOf(h.hour)} · ${t(`status.${outcome}`)}: ${n}`));
      g.append(bar);
    }
    if (i % 3 === 0) g.append(svg('text', { x: i * slot + slot / 2, y: HEIGHT - 5, class: 'label', 'text-anchor': 'middle' }, hourOf(h.hour)));
    root.append(g);
  });
  chart.replaceChildren(root);
  $('chart-empty').hidden = totals.some((n) => n > 0);
  $('legend').replaceChildren(...OUTCOMES.map((o) => {
    const item = html('li', null, `legend ${o}`);
    item.dataset.outcome = o;
    item.append(html('span', null, `swatch ${o}`), html('span', t(`status.${o}`)));
    return item;
  }));
}

function figure(label, value, className, extra) {
  const d = html('div', null, `figure ${className ?? ''}`);
  d.append(html('span', label, 'figure-label'), html('strong', value, 'figure-value'));
  if (extra) d.append(html('span', extra, 'figure-extra'));
  return d;
}

export function renderDashboard(view) {
  renderChart(view.hourly);
  $('status-counts').replaceChildren(...STATUSES.map((s) => {
    const d = figure(t(`status.${s}`), view.counts[s], `status ${s}`);
    d.dataset.status = s;
    return d;
  }));
  const erp = figure(t('erp'), t(`erp.${view.erp.state}`), `erp ${view.erp.state}`, [view.erp.since ? t('since', { at: when(view.erp.since) }) : '', view.erp.error ?? ''].filter(Boolean).join(' · '));
  erp.id = 'erp-state';
  erp.dataset.state = view.erp.state;
  const backlog = figure(t('backlog'), view.outboxBacklog);
  backlog.id = 'backlog';
  const oldest = figure(t('oldestPending'), view.oldestPendingAgeSeconds === null ? t('none') : age(view.oldestPendingAgeSeconds), '', view.oldestPendingAt ? when(view.oldestPendingAt) : '');
  oldest.id = 'oldest-pending';
  $('operations').replaceChildren(erp, backlog, oldest);
  $('dashboard-updated').textContent = t('updated', { at: when(view.generatedAt) });
}
