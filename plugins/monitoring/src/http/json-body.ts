/**
 * JSON for the wire: errors become `{ name, message, code }`, bigints strings, and a value that
 * cannot be serialised (a cycle) becomes a short note rather than breaking the response.
 */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Error) {
        const code = (v as { code?: unknown }).code;
        return { name: v.name, message: v.message, ...(typeof code === 'string' ? { code } : {}) };
      }
      return v;
    });
  } catch (error) {
    return JSON.stringify({ unserializable: error instanceof Error ? error.message : String(error) });
  }
}
