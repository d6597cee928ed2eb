/**
 * @internal Splits one CSV record (RFC 4180) into its fields. Returns the fields, or a string
 * saying what is malformed.
 */
export function parseCsvLine(text: string, delimiter: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return `unterminated quoted field ${fields.length + 1}`;
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value.replace(/\r\n/g, '\n'));
      if (i === n) return fields;
      if (text[i] !== delimiter) return `unexpected ${JSON.stringify(text[i])} after the closing quote of field ${fields.length}`;
      i++;
    } else {
      const d = text.indexOf(delimiter, i);
      const end = d < 0 ? n : d;
      const value = text.slice(i, end);
      if (value.includes('"')) return `a quote inside unquoted field ${fields.length + 1}`;
      fields.push(value);
      if (d < 0) return fields;
      i = d + 1;
    }
  }
}
