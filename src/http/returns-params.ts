// What every return route shares: the :id parameter and the roles (admin keys carry helpdesk too).

export const returnIdParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
export const returnRoles = { roles: ['helpdesk' as const, 'admin' as const] };
