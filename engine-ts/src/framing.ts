/**
 * Frame reader and writer: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
 *
 * A frame over the size limit is skipped byte for byte so the stream stays in step, and
 * reported to the caller as an oversized frame instead of being parsed.
 *
 * @module
 */

import { MAX_FRAME_BYTES } from "./protocol.ts";

/** What the reader found in the stream. */
export type Frame =
  | { kind: "message"; body: Uint8Array }
  | { kind: "oversized"; size: number };

const HEADER_BYTES = 4;

/** Yields frames from `stream` until it ends; a torn final frame is dropped. */
export async function* readFrames(
  stream: ReadableStream<Uint8Array>,
  maxFrameBytes: number = MAX_FRAME_BYTES,
): AsyncGenerator<Frame> {
  const queue = new ByteQueue();
  let skipping = 0;
  let size = -1;
  for await (const chunk of stream) {
    queue.push(chunk);
    while (true) {
      if (skipping > 0) {
        skipping -= queue.drop(skipping);
        if (skipping > 0) break;
      }
      if (size < 0) {
        if (queue.length < HEADER_BYTES) break;
        const header = queue.take(HEADER_BYTES);
        size = new DataView(header.buffer, header.byteOffset, HEADER_BYTES).getUint32(0);
        if (size > maxFrameBytes) {
          skipping = size;
          yield { kind: "oversized", size };
          size = -1;
          continue;
        }
      }
      if (queue.length < size) break;
      const body = queue.take(size);
      size = -1;
      yield { kind: "message", body };
    }
  }
}

/** Encodes `message` as one frame. */
export function encodeFrame(message: unknown): Uint8Array {
  const body = new TextEncoder().encode(JSON.stringify(message));
  if (body.length > MAX_FRAME_BYTES) {
    throw new RangeError(
      `Cannot write frame: length ${body.length} exceeds the limit of ${MAX_FRAME_BYTES}`,
    );
  }
  const frame = new Uint8Array(HEADER_BYTES + body.length);
  new DataView(frame.buffer).setUint32(0, body.length);
  frame.set(body, HEADER_BYTES);
  return frame;
}

/** A queue of chunks that copies each byte once, however the frames fall across reads. */
class ByteQueue {
  #chunks: Uint8Array[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** Removes up to `count` bytes; returns how many were removed. */
  drop(count: number): number {
    let dropped = 0;
    while (dropped < count && this.#chunks.length > 0) {
      const head = this.#chunks[0]!;
      const n = Math.min(head.length, count - dropped);
      if (n === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(n);
      dropped += n;
    }
    this.#length -= dropped;
    return dropped;
  }

  /** Removes and returns exactly `count` bytes; the caller checks `length` first. */
  take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const head = this.#chunks[0]!;
      const n = Math.min(head.length, count - filled);
      out.set(head.subarray(0, n), filled);
      if (n === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(n);
      filled += n;
    }
    this.#length -= count;
    return out;
  }
}
