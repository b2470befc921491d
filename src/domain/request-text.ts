// Rules every request body and filter obeys before any route looks at it: no NUL character
// (PostgreSQL text cannot hold one, and no client has a reason to send it) and no nesting
// deeper than any of our schemas goes (deep JSON would only cost stack further on).
// One iterative walk, linear in the size of the value.

export const MAX_DEPTH = 32;

export interface InputProblem { code: 'NUL_CHARACTER' | 'BODY_TOO_DEEP'; path: string; message: string }

const NUL = '\u0000';

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** The first NUL or over-deep spot in `value`, with its path (`client.name`, `messages[3].text`). */
export function inputProblem(value: unknown, root = ''): InputProblem | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes(NUL)) return { code: 'NUL_CHARACTER', path: path || '(body)', message: 'contains a NUL character (\\u0000)' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return { code: 'BODY_TOO_DEEP', path: path || '(body)', message: `is nested deeper than ${MAX_DEPTH} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: join(path, i), depth: depth + 1 });
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      if (key.includes(NUL)) return { code: 'NUL_CHARACTER', path: join(path, key.replace(/\u0000/g, '\\u0000')), message: 'is a field name with a NUL character (\\u0000)' };
      stack.push({ value: child, path: join(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}

/** The problem as the API's 400. */
export function problemError(problem: InputProblem): { code: string; message: string; details: Array<{ path: string; message: string }> } {
  return { code: problem.code, message: `${problem.path}: ${problem.message}`, details: [{ path: problem.path, message: problem.message }] };
}
