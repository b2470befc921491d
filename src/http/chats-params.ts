// What every chat route shares: the :id parameter and the role (admin keys carry helpdesk too).

export const chatIdParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
export const chatRoles = { roles: ['helpdesk' as const] };
