/** The routes under `prefix` the running server has, read from Fastify's route tree (HEAD mirrors GET and is left out). */
export function registeredRoutes(tree: string, prefix = '/api/v1/'): string[] {
  const found: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?) \(([^)]*)\)$/.exec(line) ?? /^([│ ]*)[├└]── (.*)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    const path = (stack[depth - 1] ?? '') + m[2];
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      if (method !== 'HEAD' && path.startsWith(prefix)) found.push(`${method} ${path}`);
    }
  }
  return [...new Set(found)].sort();
}
