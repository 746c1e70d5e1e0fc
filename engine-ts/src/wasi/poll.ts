// Copyright the runno_mcp authors. MIT license.
// poll_oneoff: fd subscriptions are always ready (memory files, stdin with
// all its bytes, stdout); clock subscriptions sleep with Atomics.wait.

import { clockTime, monotonicNs, sleepNs } from "./clock.ts";
import {
  ERRNO_BADF,
  ERRNO_INVAL,
  ERRNO_NOTCAPABLE,
  ERRNO_SUCCESS,
  EVENTTYPE_CLOCK,
  EVENTTYPE_FD_READ,
  EVENTTYPE_FD_WRITE,
  RIGHTS_FD_READ,
  RIGHTS_FD_WRITE,
  SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME,
} from "./constants.ts";
import type { Fd } from "./fd.ts";
import type { GuestMemory } from "./memory.ts";

/** Where the fields of a subscription sit (preview1 and preview0 differ). */
export interface SubscriptionLayout {
  /** Size of one subscription in bytes. */
  size: number;
  /** Offset of the clock id inside a subscription. */
  clockIdOffset: number;
}

/** Layout of `subscription` in wasi_snapshot_preview1 (48 bytes). */
export const SUBSCRIPTION_PREVIEW1: SubscriptionLayout = {
  size: 48,
  clockIdOffset: 16,
};

/** Layout of `subscription` in wasi_unstable: an extra u64 identifier (56 bytes). */
export const SUBSCRIPTION_PREVIEW0: SubscriptionLayout = {
  size: 56,
  clockIdOffset: 24,
};

const EVENT_SIZE = 32;

interface Event {
  userdata: bigint;
  errno: number;
  type: number;
  nbytes: bigint;
  flags: number;
}

/** Runs poll_oneoff against the fd table; returns an errno. */
export function pollOneoff(options: {
  memory: GuestMemory;
  fds: Map<number, Fd>;
  inPtr: number;
  outPtr: number;
  count: number;
  neventsPtr: number;
  layout: SubscriptionLayout;
}): number {
  const { memory, fds, inPtr, outPtr, count, neventsPtr, layout } = options;
  if (count === 0) return ERRNO_INVAL;
  const view = memory.view;
  // Validate both ranges before touching anything.
  memory.slice(inPtr, count * layout.size);
  memory.slice(outPtr, count * EVENT_SIZE);
  const ready: Event[] = [];
  const clocks: { userdata: bigint; deadline: bigint }[] = [];
  const now = monotonicNs();
  for (let i = 0; i < count; i++) {
    const base = inPtr + i * layout.size;
    const userdata = view.getBigUint64(base, true);
    const type = view.getUint8(base + 8);
    if (type === EVENTTYPE_CLOCK) {
      const at = base + layout.clockIdOffset;
      const id = view.getUint32(at, true);
      const timeout = view.getBigUint64(at + 8, true);
      const flags = view.getUint16(at + 24, true);
      const clockNow = clockTime(id);
      if (clockNow === undefined) {
        ready.push({ userdata, errno: ERRNO_INVAL, type, nbytes: 0n, flags: 0 });
        continue;
      }
      const wait = flags & SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME ? timeout - clockNow : timeout;
      clocks.push({ userdata, deadline: now + (wait > 0n ? wait : 0n) });
    } else if (type === EVENTTYPE_FD_READ || type === EVENTTYPE_FD_WRITE) {
      const fdNumber = view.getUint32(base + 16, true);
      const fd = fds.get(fdNumber);
      const write = type === EVENTTYPE_FD_WRITE;
      if (fd === undefined) {
        ready.push({ userdata, errno: ERRNO_BADF, type, nbytes: 0n, flags: 0 });
        continue;
      }
      if (!(fd.rightsBase & (write ? RIGHTS_FD_WRITE : RIGHTS_FD_READ))) {
        ready.push({ userdata, errno: ERRNO_NOTCAPABLE, type, nbytes: 0n, flags: 0 });
        continue;
      }
      const state = fd.poll(write);
      ready.push({ userdata, errno: state.errno, type, nbytes: state.nbytes, flags: state.flags });
    } else {
      ready.push({ userdata, errno: ERRNO_INVAL, type, nbytes: 0n, flags: 0 });
    }
  }
  if (ready.length === 0 && clocks.length > 0) {
    let earliest = clocks[0]!.deadline;
    for (const clock of clocks) {
      if (clock.deadline < earliest) earliest = clock.deadline;
    }
    sleepNs(earliest - monotonicNs());
  }
  const after = monotonicNs();
  for (const clock of clocks) {
    if (clock.deadline <= after) {
      ready.push({
        userdata: clock.userdata,
        errno: ERRNO_SUCCESS,
        type: EVENTTYPE_CLOCK,
        nbytes: 0n,
        flags: 0,
      });
    }
  }
  let at = outPtr;
  for (const event of ready) {
    memory.slice(at, EVENT_SIZE).fill(0);
    view.setBigUint64(at, event.userdata, true);
    view.setUint16(at + 8, event.errno, true);
    view.setUint8(at + 10, event.type);
    if (event.type !== EVENTTYPE_CLOCK) {
      view.setBigUint64(at + 16, event.nbytes, true);
      view.setUint16(at + 24, event.flags, true);
    }
    at += EVENT_SIZE;
  }
  memory.u32(neventsPtr, ready.length);
  return ERRNO_SUCCESS;
}
