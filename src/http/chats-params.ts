// What every chat route shares: the :id parameter, the role (admin keys carry helpdesk too)
// and the acting agent a read may name (whose profile narrows what is shown).

export const chatIdParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
export const chatRoles = { roles: ['helpdesk' as const] };
export const agentQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { agentId: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$', description: 'The acting agent, whose profile shapes what is shown (private notes need see_private_notes).' } },
} as const;
