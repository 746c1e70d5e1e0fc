/**
 * Collects a run's output as bytes, capped per stream, and decodes it once at the end,
 * so a UTF-8 character split across writes survives and a cut never leaves half of one.
 *
 * @module
 */

type Stream = "stdout" | "stderr" | "tty";

/** Output of one run: stdout, stderr, and both interleaved in write order as `tty`. */
export class OutputCollector {
  readonly #limit: number;
  readonly #chunks: Record<Stream, Uint8Array[]> = { stdout: [], stderr: [], tty: [] };
  readonly #kept: Record<Stream, number> = { stdout: 0, stderr: 0, tty: 0 };
  readonly #dropped: Record<Stream, number> = { stdout: 0, stderr: 0, tty: 0 };
  readonly #cut = new Set<Stream>();

  constructor(maxBytesPerStream: number) {
    this.#limit = maxBytesPerStream;
  }

  /** Adds bytes written to stdout (fd 1) or stderr (fd 2). */
  add(fd: 1 | 2, bytes: Uint8Array): void {
    this.#append(fd === 1 ? "stdout" : "stderr", bytes);
    this.#append("tty", bytes);
  }

  /** Records that the worker reached the cap of `stream` and keeps what follows to itself. */
  markCut(stream: "stdout" | "stderr"): void {
    this.#cut.add(stream);
    this.#cut.add("tty");
  }

  /** Records how many bytes the worker dropped past the cap, once the run is over. */
  addDropped(stream: "stdout" | "stderr", count: number): void {
    this.#dropped[stream] += count;
    this.#dropped.tty += count;
  }

  /** Whether any stream was cut. */
  get truncated(): boolean {
    return (["stdout", "stderr", "tty"] as const).some((stream) => this.#isCut(stream));
  }

  /** One sentence per cut stream, saying where it was cut and how much was lost. */
  warnings(): string[] {
    return (["stdout", "stderr", "tty"] as const).filter((stream) => this.#isCut(stream)).map(
      (stream) => {
        const lost = this.#dropped[stream];
        const detail = lost > 0 ? `; ${lost} more bytes were dropped` : "";
        return `${stream} was cut at ${this.#kept[stream]} bytes (max_output_bytes)${detail}`;
      },
    );
  }

  /** The decoded text of `stream`. */
  text(stream: Stream): string {
    let bytes = join(this.#chunks[stream], this.#kept[stream]);
    if (this.#isCut(stream)) bytes = bytes.subarray(0, completeUtf8Length(bytes));
    return new TextDecoder().decode(bytes);
  }

  #isCut(stream: Stream): boolean {
    return this.#dropped[stream] > 0 || this.#cut.has(stream);
  }

  #append(stream: Stream, bytes: Uint8Array): void {
    const room = this.#limit - this.#kept[stream];
    const keep = Math.max(0, Math.min(room, bytes.length));
    if (keep > 0) {
      this.#chunks[stream].push(keep === bytes.length ? bytes : bytes.subarray(0, keep));
      this.#kept[stream] += keep;
    }
    this.#dropped[stream] += bytes.length - keep;
  }
}

function join(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence. */
function completeUtf8Length(bytes: Uint8Array): number {
  let start = bytes.length - 1;
  // Walk back over at most three continuation bytes to the lead byte.
  while (start >= 0 && bytes.length - start <= 4 && ((bytes[start]! & 0xc0) === 0x80)) start--;
  if (start < 0) return bytes.length;
  const lead = bytes[start]!;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - start >= needed ? bytes.length : start;
}
