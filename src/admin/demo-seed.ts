// A newcomer's first start: when ponte runs on the built-in sandbox ERP and its database has no
// department, it writes a demo team matching the sandbox's data (README "A first walk-through"):
// departments with systems, agents, a subject with its situations, reply templates. Never on a
// real ERP, never once a department exists; logged, and audited as actor "demo-seed".

import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { listDepartments, upsertDepartment } from '../store/departments.js';
import { upsertAgent } from '../store/agents.js';
import { putSubject } from '../casework/subjects.js';
import { createTemplate } from '../returns/templates.js';

export const DEMO_ACTOR = 'demo-seed';

export const DEMO = {
  departments: [
    { id: 'suporte', name: 'Suporte', systems: ['Bimer ERP', 'Bimer CRM'] },
    { id: 'comercial', name: 'Comercial', systems: ['Bimer Folha'] },
  ],
  agents: [
    { id: 'ana', name: 'Ana Souza', departmentIds: ['suporte'], online: true, spellcheck: true },
    { id: 'bruno', name: 'Bruno Lima', departmentIds: ['suporte'], online: true, spellcheck: false },
    { id: 'carla', name: 'Carla Dias', departmentIds: ['comercial'], online: false, spellcheck: false },
  ],
  subject: {
    id: 'atendimento',
    name: 'Atendimento',
    subSubjects: [{ id: 'duvida', name: 'Dúvida' }, { id: 'erro', name: 'Erro no sistema' }],
    requiredFields: [],
    situations: ['Aberto', 'Em análise', 'Aguardando cliente', 'Resolvido', 'Cancelado'],
    moves: [
      { from: 'Aberto', to: 'Em análise' }, { from: 'Aberto', to: 'Cancelado' },
      { from: 'Em análise', to: 'Aguardando cliente' }, { from: 'Em análise', to: 'Resolvido' },
      { from: 'Aguardando cliente', to: 'Em análise' }, { from: 'Aguardando cliente', to: 'Resolvido' },
    ],
  },
  templates: [
    { name: 'Saudação', text: 'Olá {{contactPerson}}, tudo bem? Sobre "{{subject}}": ' },
    { name: 'Aguardando retorno', text: 'Olá {{contactPerson}}, ficamos no aguardo da sua resposta até {{validUntil}}.' },
  ],
} as const;

/** Seeds the demo team when the database has no department; true when it did. */
export async function seedDemo(deps: Deps, log: Logger = deps.log): Promise<boolean> {
  if ((await listDepartments(deps.db)).length > 0) return false;
  await deps.db.tx(async (q) => {
    for (const d of DEMO.departments) await upsertDepartment(q, d.id, { name: d.name, systems: [...d.systems] });
    for (const a of DEMO.agents) await upsertAgent(q, a.id, { name: a.name, departmentIds: [...a.departmentIds], online: a.online, spellcheck: a.spellcheck });
  });
  const { id, ...subject } = DEMO.subject;
  await putSubject(deps, id, { ...subject, subSubjects: subject.subSubjects.map((s) => ({ ...s })), requiredFields: [], situations: [...subject.situations], moves: subject.moves.map((m) => ({ ...m })) }, DEMO_ACTOR);
  for (const t of DEMO.templates) await createTemplate(deps, { ...t }, DEMO_ACTOR);
  log.info({
    departments: DEMO.departments.map((d) => d.id), agents: DEMO.agents.map((a) => a.id), subject: id, templates: DEMO.templates.length,
  }, 'empty database on the built-in sandbox ERP: demo team seeded (see README "A first walk-through")');
  return true;
}
