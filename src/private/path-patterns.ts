/**
 * CloudFront path patterns: `*` matches any run of characters (including `/`), `?` exactly one; a leading `/` is
 * optional (CloudFront treats `/out/*` and `out/*` the same).
 */

function normalize(pattern: string): string {
  return pattern.startsWith('/') ? pattern.slice(1) : pattern;
}

/**
 * Whether some request path matches both patterns: a search over the product of the two patterns (each a small
 * automaton: `*` loops on any character, `?` and a literal advance by one), O(|a| x |b|) states.
 */
export function pathPatternsOverlap(a: string, b: string): boolean {
  const p = normalize(a);
  const q = normalize(b);
  const seen = new Set<number>();
  const stack: Array<[number, number]> = [[0, 0]];
  const width = q.length + 1;
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = i * width + j;
    if (seen.has(key)) { continue; }
    seen.add(key);
    if (i === p.length && j === q.length) { return true; }
    // A star may match nothing.
    if (p[i] === '*') { stack.push([i + 1, j]); }
    if (q[j] === '*') { stack.push([i, j + 1]); }
    // Both consume one character of the path.
    if (i < p.length && j < q.length) {
      const a1 = p[i];
      const b1 = q[j];
      const literal = (c: string) => c !== '*' && c !== '?';
      if (literal(a1) && literal(b1) && a1 !== b1) { continue; }
      stack.push([a1 === '*' ? i : i + 1, b1 === '*' ? j : j + 1]);
    }
  }
  return false;
}
