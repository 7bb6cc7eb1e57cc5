// A small JSON reader and writer: enough for AO messages and the analyses the processes exchange.
export const J_NULL: u8 = 0;
export const J_BOOL: u8 = 1;
export const J_NUM: u8 = 2;
export const J_STR: u8 = 3;
export const J_ARR: u8 = 4;
export const J_OBJ: u8 = 5;

export class Json {
  kind: u8 = J_NULL;
  bool: bool = false;
  num: f64 = 0;
  str: string = '';
  items: Json[] = [];
  keys: string[] = [];

  get(key: string): Json | null {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] == key) return this.items[i];
    return null;
  }
  getString(key: string): string {
    const value = this.get(key);
    return value != null && value.kind == J_STR ? value.str : '';
  }
  getNumber(key: string): f64 {
    const value = this.get(key);
    return value != null && value.kind == J_NUM ? value.num : 0;
  }
  getBool(key: string): bool {
    const value = this.get(key);
    return value != null && value.kind == J_BOOL ? value.bool : false;
  }
}

class Parser {
  pos: i32 = 0;
  constructor(public text: string) {}

  ws(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c == 32 || c == 9 || c == 10 || c == 13) this.pos++;
      else break;
    }
  }

  value(): Json {
    this.ws();
    const out = new Json();
    if (this.pos >= this.text.length) return out;
    const c = this.text.charCodeAt(this.pos);
    if (c == 123) { // {
      out.kind = J_OBJ;
      this.pos++;
      this.ws();
      if (this.text.charCodeAt(this.pos) == 125) { this.pos++; return out; }
      while (this.pos < this.text.length) {
        this.ws();
        const key = this.string();
        this.ws();
        this.pos++; // :
        out.keys.push(key);
        out.items.push(this.value());
        this.ws();
        const d = this.text.charCodeAt(this.pos);
        this.pos++;
        if (d != 44) break; // not a comma: }
      }
      return out;
    }
    if (c == 91) { // [
      out.kind = J_ARR;
      this.pos++;
      this.ws();
      if (this.text.charCodeAt(this.pos) == 93) { this.pos++; return out; }
      while (this.pos < this.text.length) {
        out.items.push(this.value());
        this.ws();
        const d = this.text.charCodeAt(this.pos);
        this.pos++;
        if (d != 44) break;
      }
      return out;
    }
    if (c == 34) { out.kind = J_STR; out.str = this.string(); return out; }
    if (c == 116) { out.kind = J_BOOL; out.bool = true; this.pos += 4; return out; }
    if (c == 102) { out.kind = J_BOOL; this.pos += 5; return out; }
    if (c == 110) { this.pos += 4; return out; }
    const start = this.pos;
    while (this.pos < this.text.length) {
      const d = this.text.charCodeAt(this.pos);
      if ((d >= 48 && d <= 57) || d == 45 || d == 43 || d == 46 || d == 101 || d == 69) this.pos++;
      else break;
    }
    out.kind = J_NUM;
    out.num = parseFloat(this.text.substring(start, this.pos));
    return out;
  }

  string(): string {
    if (this.text.charCodeAt(this.pos) != 34) return '';
    this.pos++;
    // Pieces joined once: appending to a string per escape would allocate quadratically, and
    // nothing on this heap is freed before the evaluation ends.
    const parts: string[] = [];
    let run = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c == 34) break;
      if (c == 92) {
        parts.push(this.text.substring(run, this.pos));
        const e = this.text.charCodeAt(this.pos + 1);
        if (e == 110) parts.push('\n');
        else if (e == 116) parts.push('\t');
        else if (e == 114) parts.push('\r');
        else if (e == 98) parts.push('\b');
        else if (e == 102) parts.push('\f');
        else if (e == 117) {
          parts.push(String.fromCharCode(<i32>parseInt(this.text.substring(this.pos + 2, this.pos + 6), 16)));
          this.pos += 4;
        } else parts.push(String.fromCharCode(e));
        this.pos += 2;
        run = this.pos;
        continue;
      }
      this.pos++;
    }
    parts.push(this.text.substring(run, this.pos));
    this.pos++;
    return parts.length == 1 ? parts[0] : parts.join('');
  }
}

export function parseJson(text: string): Json {
  return new Parser(text).value();
}

const HEX = '0123456789abcdef';

/** A JSON string literal, quotes included. */
export function quote(text: string): string {
  const parts: string[] = ['"'];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 34 || c == 92 || c < 32) {
      parts.push(text.substring(run, i));
      if (c == 34) parts.push('\\"');
      else if (c == 92) parts.push('\\\\');
      else if (c == 10) parts.push('\\n');
      else if (c == 13) parts.push('\\r');
      else if (c == 9) parts.push('\\t');
      else parts.push('\\u00' + HEX.charAt(c >> 4) + HEX.charAt(c & 15));
      run = i + 1;
    }
  }
  parts.push(text.substring(run));
  parts.push('"');
  return parts.join('');
}

/** The value of tag `name` in a message's Tags array, or ''. */
export function tagOf(msg: Json, name: string): string {
  const tags = msg.get('Tags');
  if (tags == null || tags.kind != J_ARR) return '';
  for (let i = 0; i < tags.items.length; i++) {
    const tag = tags.items[i];
    if (tag.getString('name') == name) return tag.getString('value');
  }
  return '';
}

/** Data as text: AO Data may arrive as a string or as JSON. */
export function dataOf(msg: Json): string {
  const data = msg.get('Data');
  if (data == null) return '';
  return data.kind == J_STR ? data.str : '';
}

export function num(value: f64): string {
  // Four decimals, trailing zeros trimmed: stable output for equal inputs.
  const scaled = Math.round(value * 10000) / 10000;
  if (scaled == Math.floor(scaled)) return (<i64>scaled).toString();
  return scaled.toString();
}

export class Out {
  messages: string[] = [];
  output: string = '""';

  send(target: string, tags: string[][], data: string): void {
    let t = '';
    for (let i = 0; i < tags.length; i++) {
      if (i > 0) t += ',';
      t += '{"name":' + quote(tags[i][0]) + ',"value":' + quote(tags[i][1]) + '}';
    }
    this.messages.push('{"Target":' + quote(target) + ',"Tags":[' + t + '],"Data":' + quote(data) + '}');
  }

  render(): string {
    return '{"ok":true,"response":{"Output":' + this.output + ',"Messages":[' + this.messages.join(',') + '],"Spawns":[],"Assignments":[]}}';
  }
}
