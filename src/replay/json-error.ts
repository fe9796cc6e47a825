/**
 * Where a JSON text first goes wrong. V8 reports a position for some syntax errors and not for others
 * ("Unexpected token …"), so on the (cold) failure path a small scanner finds the offset itself, letting
 * the error name a line and column in a multi-megabyte capture.
 */
/** Thrown by the scanner at the first offending character; caught in jsonErrorOffset. */
class JsonErrorAt extends Error {
  constructor(readonly offset: number) {
    super(`JSON error at offset ${offset}`);
  }
}

export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) i++;
      else break;
    }
  };
  const fail = (): never => {
    throw new JsonErrorAt(i);
  };
  const lit = (w: string) => {
    for (const ch of w)
      if (text[i] === ch) i++;
      else fail();
  };
  const str = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 34) return void i++;
      if (c < 32) fail();
      if (c === 92) {
        const e = text[i + 1];
        i++;
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const digits = (atLeastOne: boolean) => {
    const start = i;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (atLeastOne && i === start) fail();
  };
  // Char by char, so the offset is the first character that cannot continue the number (as V8 reports).
  const num = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits(true);
    if (text[i] === '.') {
      i++;
      digits(true);
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits(true);
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (e) {
    if (e instanceof JsonErrorAt) return e.offset;
    throw e;
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
