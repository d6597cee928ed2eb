/**
 * @internal Why a subject cannot be published to (empty token, whitespace, a wildcard), or
 * undefined when it can. Checked before publishing: the client would otherwise fail the whole
 * connection's state with a protocol error, far from the record that caused it.
 */
export function publishSubjectProblem(subject: unknown): string | undefined {
  if (typeof subject !== 'string' || subject.length === 0) return 'a subject must be a non-empty string';
  if (/\s/.test(subject)) return 'a subject cannot contain whitespace';
  const tokens = subject.split('.');
  if (tokens.some((t) => t.length === 0)) return 'a subject cannot have empty tokens (leading, trailing or double ".")';
  if (tokens.some((t) => t === '*' || t === '>')) return 'a subject to publish to cannot contain the wildcards "*" or ">"';
  return undefined;
}

/** @internal Whether a stream subject filter (with `*` and `>` wildcards) matches a literal subject. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    const token = f[i]!;
    if (token === '>') return s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return f.length === s.length;
}
