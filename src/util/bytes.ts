const encoder = new TextEncoder();

/**
 * Appends text and numbers to a growing byte buffer: for large generated files (the search
 * index) whose millions of small pieces would cost more as JavaScript strings than as bytes.
 */
export class ByteWriter {
  private buf: Uint8Array;
  private at = 0;

  /** `capacity`: what the output will likely take; a good guess spares copying it as it grows. */
  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(Math.max(1024, Math.ceil(capacity)));
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    // Large buffers grow by a quarter: a doubling would hold three times the data while copying.
    const factor = this.buf.length > 1 << 26 ? 1.25 : 2;
    let size = Math.ceil(this.buf.length * factor);
    while (size < this.at + n) size = Math.ceil(size * factor);
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }

  /** Text of any kind, as UTF-8. */
  text(s: string): this {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.room(s.length * 3);
    // Short ASCII text (most of an index's pieces) is copied byte by byte: cheaper than calling the encoder.
    if (s.length <= 32) {
      let at = this.at;
      for (let i = 0; i < s.length; i++) {
        const code = s.charCodeAt(i);
        if (code >= 0x80) {
          at = -1;
          break;
        }
        this.buf[at++] = code;
      }
      if (at >= 0) {
        this.at = at;
        return this;
      }
    }
    this.at += encoder.encodeInto(s, this.buf.subarray(this.at)).written;
    return this;
  }

  /** One ASCII character, by its code. */
  char(code: number): this {
    this.room(1);
    this.buf[this.at++] = code;
    return this;
  }

  /** A non-negative integer in decimal. */
  uint(n: number): this {
    this.room(16);
    this.at = writeDigits(this.buf, this.at, n);
    return this;
  }

  /** Bytes `from` up to `to` of `bytes`, as they are: for many short pieces, copied one by one. */
  slice(bytes: Uint8Array, from: number, to: number): this {
    this.room(to - from);
    const buf = this.buf;
    let at = this.at;
    for (let i = from; i < to; i++) buf[at++] = bytes[i]!;
    this.at = at;
    return this;
  }

  /** Bytes as they are. */
  raw(bytes: Uint8Array): this {
    this.room(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
    return this;
  }

  /**
   * `i,s,i,s…` for each `i` of `indexes` and `s` its score, given in `thousandths` (1500 is written 1.5):
   * the body of a lunr vector, the index's largest part, written without a call per number.
   */
  pairs(indexes: Int32Array, thousandths: Float64Array): this {
    // At most: a 10-digit index, a comma, a score of 16 digits with its point and 3 decimals, a comma.
    this.room(indexes.length * 40);
    const buf = this.buf;
    let at = this.at;
    for (let j = 0; j < indexes.length; j++) {
      if (j) buf[at++] = 44;
      const index = indexes[j]!;
      at = writeDigits(buf, at, index);
      buf[at++] = 44;
      // The score as JavaScript writes thousandths / 1000: "1.5", "0.125", "2".
      const score = thousandths[index]!;
      at = writeDigits(buf, at, Math.floor(score / 1000));
      let frac = score % 1000;
      if (frac !== 0) {
        buf[at++] = 46;
        let len = 3;
        while (frac % 10 === 0) {
          frac /= 10;
          len--;
        }
        for (let k = at + len - 1; k >= at; k--) {
          buf[k] = 48 + (frac % 10);
          frac = Math.floor(frac / 10);
        }
        at += len;
      }
    }
    this.at = at;
    return this;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}

/** Writes a non-negative integer's decimal digits at `at`; returns where they end. */
function writeDigits(buf: Uint8Array, at: number, n: number): number {
  let len = 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) len++;
  for (let k = at + len - 1; k >= at; k--) {
    buf[k] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + len;
}
