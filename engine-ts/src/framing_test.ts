import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { encodeFrame, type Frame, readFrames } from "./framing.ts";

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks);
}

async function collect(stream: ReadableStream<Uint8Array>, limit?: number): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const frame of readFrames(stream, limit)) frames.push(frame);
  return frames;
}

function decode(frame: Frame | undefined): unknown {
  return frame?.kind === "message" ? JSON.parse(new TextDecoder().decode(frame.body)) : frame;
}

Deno.test("readFrames() reassembles frames split across chunks byte by byte", async () => {
  const bytes = new Uint8Array([...encodeFrame({ a: 1 }), ...encodeFrame({ b: "é" })]);
  const chunks = [...bytes].map((byte) => new Uint8Array([byte]));
  const frames = await collect(streamOf(...chunks));
  assertEquals(frames.map(decode), [{ a: 1 }, { b: "é" }]);
});

Deno.test("readFrames() reads many frames from one chunk", async () => {
  const bytes = new Uint8Array([...encodeFrame(1), ...encodeFrame(2), ...encodeFrame(3)]);
  assertEquals((await collect(streamOf(bytes))).map(decode), [1, 2, 3]);
});

Deno.test("readFrames() skips a frame over the limit and stays in step", async () => {
  const big = encodeFrame("x".repeat(100));
  const bytes = new Uint8Array([...big, ...encodeFrame("after")]);
  const frames = await collect(streamOf(bytes.subarray(0, 7), bytes.subarray(7)), 50);
  assertEquals(frames[0], { kind: "oversized", size: 102 });
  assertEquals(decode(frames[1]), "after");
});

Deno.test("readFrames() drops a torn final frame without hanging", async () => {
  const frame = encodeFrame({ torn: true });
  assertEquals(await collect(streamOf(frame.subarray(0, frame.length - 2))), []);
});
