/**
 * Reads Amazon's tab-delimited flat files into rows of fields. Amazon writes most fields bare,
 * but a free-text field (a buyer's comment) may come wrapped in double quotes - then it can hold
 * tabs, line breaks and doubled quotes (`""`). Lines end in LF or CRLF; a UTF-8 byte-order mark
 * may lead the text. Never throws: an unclosed quote runs to the end of the text.
 */

export function readTabSeparated(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    // A blank line (often the last one) is no row.
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '"' && field === '') {
      // Quoted field: up to the closing quote; `""` inside is one quote.
      i++;
      while (i < src.length) {
        if (src[i] === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += src[i];
        i++;
      }
      continue;
    }
    if (ch === '\t') endField();
    else if (ch === '\n') endRow();
    else if (ch === '\r') {
      if (src[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
