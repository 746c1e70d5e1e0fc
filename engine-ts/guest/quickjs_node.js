// deno-lint-ignore-file
// The Node-shaped part of the prelude: process, Buffer, timers that know when the program is
// done, and `require` with the built-in modules a script written for `node` reaches for. What
// the sandbox cannot give (network, processes, threads) throws ERR_UNAVAILABLE_IN_SANDBOX when
// required, so a program fails at the line that needs it, with the reason.
import * as std from "std";
import * as binding from "_node:fs";
import {
  format,
  formatWithOptions,
  inspect,
  makeConsole,
  stackOf,
} from "/usr/local/lib/quickjs/node_inspect.js";
import { stackHooks } from "/usr/local/lib/quickjs/node_builtins.js";

const GUEST_DIR = "/usr/local/lib/quickjs/";
// A required module's wrapper starts this many lines per module further down its evalScript
// source, so a frame's line number says which module it is in (the engine names them all
// "<evalScript>"). The entry is module 0: its lines are its own.
const LINES_PER_MODULE = 100000;
const evalModules = []; // index -> filename

function rewriteStack(stack) {
  return stack.split("\n").filter((line) =>
    !line.includes(GUEST_DIR) && !line.includes("at evalScript (native)") &&
    !/^\s+at <input>:\d+$/.test(line) &&
    !line.includes("at call (native)")
  ).map((line) =>
    line.replace(/<evalScript>:(\d+)/, (match, n) => {
      const index = Math.floor((Number(n) - 1) / LINES_PER_MODULE);
      const file = evalModules[index];
      return file === undefined ? match : `${file}:${Number(n) - index * LINES_PER_MODULE}`;
    }).replace(/\((?![/<])([^():]+:\d+)\)$/, "(/$1)").replace(
      /<evalScript>(?!:)/,
      () => (evalModules.length === 1 ? evalModules[0] : "<evalScript>"),
    )
  ).join("\n");
}
stackHooks.rewrite = rewriteStack;

// ---- events -------------------------------------------------------------------------------

class EventEmitter {
  constructor() {
    EventEmitter.init.call(this);
  }
  static init() {
    if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
      Object.defineProperty(this, "_events", {
        value: Object.create(null),
        writable: true,
        configurable: true,
      });
    }
    this._maxListeners ??= undefined;
  }
  _list(name) {
    if (this._events === undefined) EventEmitter.init.call(this);
    return this._events[name];
  }
  setMaxListeners(n) {
    this._maxListeners = n;
    return this;
  }
  getMaxListeners() {
    return this._maxListeners ?? EventEmitter.defaultMaxListeners;
  }
  _add(name, listener, prepend) {
    if (typeof listener !== "function") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_TYPE",
        `The "listener" argument must be of type function. Received ${describe(listener)}`,
      );
    }
    if (this._list("newListener") !== undefined) {
      this.emit("newListener", name, listener.listener ?? listener);
    }
    const list = this._events[name] ??= [];
    if (prepend) list.unshift(listener);
    else list.push(listener);
    return this;
  }
  on(name, listener) {
    return this._add(name, listener, false);
  }
  addListener(name, listener) {
    return this._add(name, listener, false);
  }
  prependListener(name, listener) {
    return this._add(name, listener, true);
  }
  _onceWrap(name, listener) {
    const emitter = this;
    function wrapper(...args) {
      emitter.removeListener(name, wrapper);
      return listener.apply(emitter, args);
    }
    wrapper.listener = listener;
    return wrapper;
  }
  once(name, listener) {
    if (typeof listener !== "function") return this._add(name, listener, false);
    return this._add(name, this._onceWrap(name, listener), false);
  }
  prependOnceListener(name, listener) {
    return this._add(name, this._onceWrap(name, listener), true);
  }
  off(name, listener) {
    return this.removeListener(name, listener);
  }
  removeListener(name, listener) {
    const list = this._list(name);
    if (list === undefined) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        list.splice(i, 1);
        if (list.length === 0) delete this._events[name];
        if (this._events.removeListener !== undefined) this.emit("removeListener", name, listener);
        break;
      }
    }
    return this;
  }
  removeAllListeners(name) {
    if (this._events === undefined) return this;
    if (name === undefined) this._events = Object.create(null);
    else delete this._events[name];
    return this;
  }
  emit(name, ...args) {
    const list = this._list(name);
    if (name === "error" && (list === undefined || list.length === 0)) {
      const er = args[0];
      if (er instanceof Error) throw er;
      const err = codedError(Error, "ERR_UNHANDLED_ERROR", `Unhandled error. (${inspect(er)})`);
      err.context = er;
      throw err;
    }
    if (list === undefined) return false;
    for (const listener of list.slice()) listener.apply(this, args);
    return true;
  }
  listenerCount(name) {
    return this._list(name)?.length ?? 0;
  }
  listeners(name) {
    return (this._list(name) ?? []).map((l) => l.listener ?? l);
  }
  rawListeners(name) {
    return (this._list(name) ?? []).slice();
  }
  eventNames() {
    if (this._events === undefined) return [];
    return Reflect.ownKeys(this._events);
  }
}
EventEmitter.defaultMaxListeners = 10;
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.once = function once(emitter, name) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      emitter.removeListener(name, onEvent);
      reject(err);
    };
    const onEvent = (...args) => {
      if (name !== "error") emitter.removeListener("error", onError);
      resolve(args);
    };
    emitter.once(name, onEvent);
    if (name !== "error") emitter.once("error", onError);
  });
};
EventEmitter.on = function on(emitter, name) {
  const queue = [], waiting = [];
  emitter.on(name, (...args) => {
    if (waiting.length > 0) waiting.shift().resolve({ value: args, done: false });
    else queue.push(args);
  });
  return {
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
};
EventEmitter.listenerCount = (emitter, name) => emitter.listenerCount(name);

function describe(value) {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return `function ${value.name}`;
  if (typeof value === "object") {
    const name = value.constructor?.name;
    return name ? `an instance of ${name}` : inspect(value, { depth: -1 });
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return `type ${typeof value} (${shown})`;
}

function codedError(Ctor, code, message) {
  const err = new Ctor(message);
  Object.defineProperty(err, "code", {
    value: code,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  // Node's own errors print as "TypeError [CODE]: message".
  const stack = err.stack;
  Object.defineProperty(err, "stack", {
    value: stack.replace(/^([A-Za-z]*Error)/, `$1 [${code}]`),
    writable: true,
    configurable: true,
  });
  return err;
}

// ---- timers and the end of the program ---------------------------------------------------

const native = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  nextTick: globalThis.nextTick,
};
let pending = 0; // timers and immediates that keep the program alive
let finishScheduled = false;
let exiting = false;

function maybeFinish() {
  if (pending > 0 || finishScheduled || exiting) return;
  finishScheduled = true;
  // A native zero timer runs after the microtask queue drains, so promise chains that go on to
  // schedule more work are seen before the program is declared done.
  native.setTimeout(() => {
    finishScheduled = false;
    if (pending > 0 || exiting) return;
    process.emit("beforeExit", process.exitCode ?? 0);
    if (pending > 0) return;
    exitNow(process.exitCode ?? 0);
  }, 0);
}

// Timers fire in deadline order, one per turn of the engine's loop (so promise callbacks run
// between them, as in Node). The engine's own timers fire in creation order once overdue,
// which a slow start would expose; one engine timer, set for the earliest deadline, avoids it.
const timerQueue = [];
let timerSeq = 0;
let engineTimer = null;
let engineTimerAt = Infinity;

function armEngineTimer() {
  const first = timerQueue[0];
  if (first === undefined) return;
  if (engineTimer !== null && engineTimerAt <= first.when) return;
  if (engineTimer !== null) native.clearTimeout(engineTimer);
  engineTimerAt = first.when;
  engineTimer = native.setTimeout(fireNextTimer, Math.max(0, first.when - Date.now()));
}

function fireNextTimer() {
  engineTimer = null;
  engineTimerAt = Infinity;
  const first = timerQueue[0];
  if (first !== undefined && first.when <= Date.now()) {
    timerQueue.shift();
    first._fire();
  }
  armEngineTimer();
}

// libuv's loop time: read once per turn, so timers set in one synchronous stretch share a start
// and fire in the order their delays say, however long the stretch ran.
let loopTime = null;
function loopNow() {
  if (loopTime === null) {
    loopTime = Date.now();
    native.setTimeout(() => {
      loopTime = null;
    }, 0);
  }
  return loopTime;
}

function enqueueTimer(timer) {
  let i = timerQueue.length;
  while (i > 0 && (timerQueue[i - 1].when > timer.when)) i--;
  timerQueue.splice(i, 0, timer);
  armEngineTimer();
}

function dequeueTimer(timer) {
  const i = timerQueue.indexOf(timer);
  if (i !== -1) timerQueue.splice(i, 1);
}

class Timeout {
  #ref = true;
  #active = false;
  constructor(callback, delay, args, repeat) {
    this._onTimeout = callback;
    this._idleTimeout = delay;
    this._args = args;
    this._repeat = repeat;
    this._id = ++timerSeq;
    this.#arm();
  }
  #arm() {
    this.#active = true;
    if (this.#ref) pending++;
    this.when = loopNow() + this._idleTimeout;
    enqueueTimer(this);
  }
  #settle() {
    if (this.#active && this.#ref) pending--;
    this.#active = false;
  }
  _fire() {
    this.#settle();
    if (this._repeat) this.#arm();
    runGuarded(() => this._onTimeout(...this._args));
    maybeFinish();
  }
  close() {
    if (this.#active) dequeueTimer(this);
    this.#settle();
    this._repeat = false;
    maybeFinish();
    return this;
  }
  ref() {
    if (!this.#ref && this.#active) pending++;
    this.#ref = true;
    return this;
  }
  unref() {
    if (this.#ref && this.#active) {
      pending--;
      maybeFinish();
    }
    this.#ref = false;
    return this;
  }
  hasRef() {
    return this.#ref;
  }
  refresh() {
    if (this.#active) {
      dequeueTimer(this);
      this.#settle();
    }
    this.#arm();
    return this;
  }
  [Symbol.toPrimitive]() {
    return this._id;
  }
}
const timersById = new Map();

function checkCallback(callback) {
  if (typeof callback !== "function") {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "callback" argument must be of type function. Received ${describe(callback)}`,
    );
  }
}
function delayOf(delay) {
  delay = Number(delay);
  return !(delay >= 1 && delay <= 2 ** 31 - 1) ? 1 : delay;
}
function setTimeout(callback, delay, ...args) {
  checkCallback(callback);
  const timer = new Timeout(callback, delayOf(delay), args, false);
  timersById.set(+timer, timer);
  return timer;
}
function setInterval(callback, delay, ...args) {
  checkCallback(callback);
  const timer = new Timeout(callback, delayOf(delay), args, true);
  timersById.set(+timer, timer);
  return timer;
}
function clearTimeout(timer) {
  if (timer instanceof Timeout) timer.close();
  else if (timer !== undefined && timer !== null) timersById.get(+timer)?.close();
  if (timer instanceof Timeout) timersById.delete(+timer);
}
class Immediate {
  constructor(callback, args) {
    this._onImmediate = callback;
    this._cleared = false;
    this._ref = true;
    pending++;
    native.setTimeout(() => {
      if (this._cleared) return;
      this._cleared = true;
      if (this._ref) pending--;
      runGuarded(() => callback(...args));
      maybeFinish();
    }, 0);
  }
  ref() {
    if (!this._ref && !this._cleared) pending++;
    this._ref = true;
    return this;
  }
  unref() {
    if (this._ref && !this._cleared) pending--;
    this._ref = false;
    return this;
  }
  hasRef() {
    return this._ref;
  }
}
function setImmediate(callback, ...args) {
  checkCallback(callback);
  return new Immediate(callback, args);
}
function clearImmediate(immediate) {
  if (immediate instanceof Immediate && !immediate._cleared) {
    immediate._cleared = true;
    if (immediate._ref) pending--;
  }
}

// Callbacks run by the prelude (timers, events from stdin) report their errors as Node does.
function runGuarded(fn) {
  try {
    fn();
  } catch (err) {
    handleUncaught(err);
  }
}

// ---- process --------------------------------------------------------------------------------

function writeText(stream, chunk, encoding) {
  if (typeof chunk === "string") {
    stream.puts(
      encoding && encoding !== "utf8" && encoding !== "utf-8"
        ? Buffer.from(chunk, encoding).toString("latin1")
        : chunk,
    );
  } else if (chunk instanceof Uint8Array) {
    stream.write(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  } else {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. Received ${
        describe(chunk)
      }`,
    );
  }
}

class WriteStream extends EventEmitter {
  constructor(stream, fd) {
    super();
    this._stream = stream;
    this.fd = fd;
    this.writable = true;
    this.isTTY = false;
    this.columns = 80;
    this.rows = 24;
  }
  write(chunk, encoding, callback) {
    if (typeof encoding === "function") [callback, encoding] = [encoding, undefined];
    writeText(this._stream, chunk, encoding);
    if (typeof callback === "function") native.nextTick(callback);
    return true;
  }
  end(chunk, encoding, callback) {
    if (typeof chunk === "function") [callback, chunk] = [chunk, undefined];
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    this._stream.flush();
    if (typeof callback === "function") native.nextTick(callback);
    return this;
  }
  cork() {}
  uncork() {}
  setDefaultEncoding() {
    return this;
  }
  getColorDepth() {
    return 1;
  }
  hasColors() {
    return false;
  }
  getWindowSize() {
    return [this.columns, this.rows];
  }
}

// All of stdin, read on first use: the sandbox hands a program its whole stdin at start.
let stdinBytes = null;
function readStdin() {
  if (stdinBytes === null) {
    const chunks = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(65536);
      const n = std.in.read(chunk.buffer, 0, chunk.length);
      if (!n) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    stdinBytes = Buffer.concat(chunks, total);
  }
  return stdinBytes;
}

class ReadStream extends EventEmitter {
  constructor() {
    super();
    this.fd = 0;
    this.isTTY = false;
    this.readable = true;
    this._encoding = null;
    this._flowing = null;
    this._done = false;
    this._scheduled = false;
    this._readableSent = false;
  }
  setEncoding(encoding) {
    this._encoding = encoding;
    return this;
  }
  _chunk() {
    const data = readStdin();
    return this._encoding ? data.toString(this._encoding) : data;
  }
  _schedule() {
    if (this._scheduled || this._done) return;
    this._scheduled = true;
    setImmediate(() => {
      this._scheduled = false;
      if (this._done) return;
      if (this.listenerCount("data") > 0 && this._flowing !== false) {
        this._done = true;
        const data = readStdin();
        if (data.length > 0) this.emit("data", this._chunk());
        this.emit("end");
        this.emit("close");
      } else if (this.listenerCount("readable") > 0 && !this._readableSent) {
        this._readableSent = true;
        this.emit("readable");
        if (this._done || this._drained) {
          this._done = true;
          this.emit("end");
          this.emit("close");
        } else {
          this._schedule();
        }
      }
    });
  }
  on(name, listener) {
    super.on(name, listener);
    if (name === "data" || name === "readable" || name === "end") this._schedule();
    return this;
  }
  resume() {
    this._flowing = true;
    this._schedule();
    return this;
  }
  pause() {
    this._flowing = false;
    return this;
  }
  read() {
    if (this._drained) return null;
    this._drained = true;
    const data = readStdin();
    return data.length > 0 ? this._chunk() : null;
  }
  pipe(destination) {
    this.on("data", (chunk) => destination.write(chunk));
    return destination;
  }
  unref() {
    return this;
  }
  ref() {
    return this;
  }
  async *[Symbol.asyncIterator]() {
    this._done = true;
    const data = readStdin();
    if (data.length > 0) yield this._chunk();
  }
}
ReadStream.prototype.addListener = ReadStream.prototype.on;

const startTime = Date.now();
const VERSION = "v20.0.0-quickjs";

class Process extends EventEmitter {}
const process = new Process();
Object.assign(process, {
  title: "node",
  version: VERSION,
  // Not Node: the API shape of Node 20 on QuickJS. `node` says which engine really runs.
  versions: { node: VERSION.slice(1), quickjs: "2021-03-27 (wasmedge-quickjs)", runno: "1" },
  release: { name: "runno-quickjs" },
  platform: "wasi",
  arch: "wasm32",
  pid: 1,
  ppid: 0,
  execPath: "/usr/local/bin/node",
  execArgv: [],
  exitCode: undefined,
  config: { variables: {} },
  features: {},
});
process.stdout = new WriteStream(std.out, 1);
process.stderr = new WriteStream(std.err, 2);
process.stdin = new ReadStream();
process.cwd = () => "/";
process.chdir = () => {
  throw codedError(
    Error,
    "ERR_UNAVAILABLE_IN_SANDBOX",
    "process.chdir() is not available in this sandbox: the working directory is always /",
  );
};
process.umask = () => 0o22;
process.getuid = () => 0;
process.getgid = () => 0;
process.geteuid = () => 0;
process.getegid = () => 0;
process.uptime = () => (Date.now() - startTime) / 1000;
process.hrtime = function hrtime(previous) {
  const ns = hrtimeNs();
  let seconds = Number(ns / 1000000000n), nanos = Number(ns % 1000000000n);
  if (previous) {
    seconds -= previous[0];
    nanos -= previous[1];
    if (nanos < 0) {
      seconds--;
      nanos += 1e9;
    }
  }
  return [seconds, nanos];
};
process.hrtime.bigint = () => hrtimeNs();
function hrtimeNs() {
  const ms = globalThis.performance?.now?.() ?? Date.now();
  return BigInt(Math.round(ms * 1e6));
}
process.memoryUsage = () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 });
process.memoryUsage.rss = () => 0;
process.cpuUsage = () => ({ user: 0, system: 0 });
process.resourceUsage = () => ({});
// Node drains its nextTick queue before promise callbacks; the engine's nextTick runs after
// them, so the queue is drained from a microtask of its own, queued on first use.
const tickQueue = [];
function drainTicks() {
  while (tickQueue.length > 0) {
    const [callback, args] = tickQueue.shift();
    runGuarded(() => callback(...args));
  }
}
process.nextTick = (callback, ...args) => {
  checkCallback(callback);
  if (tickQueue.length === 0) Promise.resolve().then(drainTicks);
  tickQueue.push([callback, args]);
};
process.emitWarning = (warning, type = "Warning") => {
  const text = warning instanceof Error
    ? `${warning.name}: ${warning.message}`
    : `${type}: ${warning}`;
  std.err.puts(`(node:1) ${text}\n`);
};
process.kill = () => {
  throw codedError(
    Error,
    "ERR_UNAVAILABLE_IN_SANDBOX",
    "process.kill() is not available in this sandbox: there are no other processes",
  );
};
process.abort = () => exitNow(134);
process.exit = (code) => {
  if (code !== undefined) process.exitCode = code;
  exitNow(process.exitCode ?? 0);
};
process.reallyExit = process.exit;
process.binding = () => {
  throw new Error("No such module");
};
// wasmedge-quickjs's own `env` global (std.getenviron() corrupts the heap at exit here). A run
// given an environment boots instead of resuming the snapshot, so this is always the run's.
process.env = { ...(globalThis.env ?? {}) };
process.argv0 = "node";

function exitNow(code) {
  code = Number(code) | 0;
  if (!exiting) {
    exiting = true;
    process.exitCode = code;
    try {
      process.emit("exit", code);
    } catch (err) {
      printUncaught(err);
      code = 7;
    }
    code = Number(process.exitCode) | 0;
  }
  std.out.flush();
  std.err.flush();
  std.exit(code);
}

function printUncaught(err) {
  std.out.flush();
  let text;
  if (err instanceof Error || (err && typeof err === "object" && typeof err.stack === "string")) {
    const stack = stackOf(err);
    text = `${sourceContext(stack)}${inspectError(err, stack)}`;
    const hint = missingModuleHint(err);
    if (hint) text += `\n${hint}`;
  } else {
    text = `Uncaught ${inspect(err)}`;
  }
  std.err.puts(`${text}\n`);
  std.err.flush();
}

function inspectError(err, stack) {
  // Properties beyond name/message/stack print after the stack, as Node's inspect does.
  const shown = inspect(err);
  return shown.startsWith(stack.split("\n")[0]) || shown.startsWith("[") ? shown : stack;
}

// Node shows the line that threw, with a caret under its start, before the stack.
function sourceContext(stack) {
  const frame = /\n\s+at .*?\(?(\/[^():]+):(\d+)\)?/.exec(stack) ??
    /\n\s+at (\/[^():]+):(\d+)/.exec(stack);
  if (!frame) return "";
  const [, file, line] = frame;
  let source;
  try {
    source = std.loadFile(file);
  } catch {
    return "";
  }
  if (typeof source !== "string") return "";
  const text = source.split("\n")[Number(line) - 1];
  if (text === undefined) return "";
  const indent = /^\s*/.exec(text)[0];
  return `${file}:${line}\n${text}\n${indent}^\n\n`;
}

function missingModuleHint(err) {
  const mjs = /could not load module filename '([^']+\.(?:mjs|cjs))'/.exec(String(err.message));
  if (mjs) {
    return `This engine's module loader reads only .js files: rename '${
      mjs[1]
    }' to .js (a .js file with import or export statements runs as an ES module)`;
  }
  const match = /could not load module filename '(?:node:)?([^']+)'/.exec(String(err.message));
  if (match && BUILTINS.has(match[1])) {
    return `An ES module here cannot import the built-in module '${
      match[1]
    }' (the engine resolves bare import names as files): use require('${
      match[1]
    }'), which ES modules here also have, or write the program as a CommonJS .js file`;
  }
  return "";
}

function handleUncaught(err) {
  if (exiting) return;
  if (process.listenerCount("uncaughtException") > 0) {
    process.emit("uncaughtException", err, "uncaughtException");
    return;
  }
  reportFatal(err);
  exitNow(1);
}

// Printing can fail itself (out of memory after an allocation failed): fall back to one line.
function reportFatal(err) {
  try {
    printUncaught(err);
  } catch {
    try {
      std.err.puts(`${err}\n`);
    } catch {
      // Nothing more can be said; the exit status still tells.
    }
  }
}

function handleRejection(reason, promise) {
  if (exiting) return;
  if (process.listenerCount("unhandledRejection") > 0) {
    process.emit("unhandledRejection", reason, promise);
    return;
  }
  if (process.listenerCount("uncaughtException") > 0) {
    process.emit("uncaughtException", reason, "unhandledRejection");
    return;
  }
  if (reason instanceof Error) {
    reportFatal(reason);
  } else {
    std.out.flush();
    std.err.puts(
      `node:internal/process/promises\n[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${
        inspect(reason)
      }".] {\n  code: 'ERR_UNHANDLED_REJECTION'\n}\n`,
    );
  }
  exitNow(1);
}

// ---- Buffer ---------------------------------------------------------------------------------

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((ch, i) => [ch, i]));
B64_INDEX.set("-", 62);
B64_INDEX.set("_", 63);
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

function normalizeEncoding(encoding) {
  const e = String(encoding ?? "utf8").toLowerCase();
  switch (e) {
    case "utf8":
    case "utf-8":
      return "utf8";
    case "hex":
    case "base64":
    case "base64url":
    case "ascii":
      return e;
    case "latin1":
    case "binary":
      return "latin1";
    case "ucs2":
    case "ucs-2":
    case "utf16le":
    case "utf-16le":
      return "utf16le";
    default:
      throw codedError(TypeError, "ERR_UNKNOWN_ENCODING", `Unknown encoding: ${encoding}`);
  }
}

function encodeString(string, encoding) {
  switch (normalizeEncoding(encoding)) {
    case "utf8":
      return utf8Encoder.encode(string);
    case "hex": {
      const n = Math.floor(string.length / 2);
      const out = new Uint8Array(n);
      let i = 0;
      for (; i < n; i++) {
        const byte = parseInt(string.substr(i * 2, 2), 16);
        if (Number.isNaN(byte)) break;
        out[i] = byte;
      }
      return out.subarray(0, i);
    }
    case "base64":
    case "base64url": {
      const clean = string.replace(/[^A-Za-z0-9+/\-_]/g, "");
      const out = new Uint8Array(Math.floor(clean.length * 3 / 4));
      let bits = 0, value = 0, j = 0;
      for (const ch of clean) {
        value = (value << 6) | B64_INDEX.get(ch);
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          out[j++] = (value >> bits) & 0xff;
        }
      }
      return out.subarray(0, j);
    }
    case "ascii":
    case "latin1": {
      const out = new Uint8Array(string.length);
      for (let i = 0; i < string.length; i++) out[i] = string.charCodeAt(i) & 0xff;
      return out;
    }
    case "utf16le": {
      const out = new Uint8Array(string.length * 2);
      for (let i = 0; i < string.length; i++) {
        const c = string.charCodeAt(i);
        out[i * 2] = c & 0xff;
        out[i * 2 + 1] = c >> 8;
      }
      return out;
    }
  }
}

function decodeBytes(bytes, encoding) {
  switch (normalizeEncoding(encoding)) {
    case "utf8":
      return utf8Decoder.decode(bytes);
    case "hex":
      return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    case "base64":
    case "base64url": {
      const url = normalizeEncoding(encoding) === "base64url";
      let out = "";
      let i = 0;
      for (; i + 2 < bytes.length; i += 3) {
        const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
      }
      if (i < bytes.length) {
        const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
        out += B64[n >> 18] + B64[(n >> 12) & 63];
        out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : url ? "" : "=";
        out += url ? "" : "=";
      }
      return url ? out.replace(/\+/g, "-").replace(/\//g, "_") : out;
    }
    case "ascii": {
      let out = "";
      for (const b of bytes) out += String.fromCharCode(b & 0x7f);
      return out;
    }
    case "latin1": {
      let out = "";
      for (let i = 0; i < bytes.length; i += 8192) {
        out += String.fromCharCode(...bytes.subarray(i, i + 8192));
      }
      return out;
    }
    case "utf16le": {
      let out = "";
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        out += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      }
      return out;
    }
  }
}

class Buffer extends Uint8Array {
  static from(value, encodingOrOffset, length) {
    if (typeof value === "string") return toBuffer(encodeString(value, encodingOrOffset));
    if (
      value instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer)
    ) {
      const offset = encodingOrOffset ?? 0;
      return new Buffer(value, offset, length ?? value.byteLength - offset);
    }
    if (ArrayBuffer.isView(value) || Array.isArray(value)) {
      const out = new Buffer(value.length);
      for (let i = 0; i < value.length; i++) out[i] = value[i];
      return out;
    }
    if (value && typeof value === "object") {
      if (value.type === "Buffer" && Array.isArray(value.data)) return Buffer.from(value.data);
      if (typeof value.length === "number") return Buffer.from(Array.from(value));
      const primitive = value.valueOf?.();
      if (primitive !== value && primitive !== undefined) {
        return Buffer.from(primitive, encodingOrOffset, length);
      }
    }
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received ${
        describe(value)
      }`,
    );
  }
  static alloc(size, fill, encoding) {
    const out = new Buffer(size);
    if (fill !== undefined && fill !== 0) out.fill(fill, 0, size, encoding);
    return out;
  }
  static allocUnsafe(size) {
    return new Buffer(size);
  }
  static allocUnsafeSlow(size) {
    return new Buffer(size);
  }
  static isBuffer(value) {
    return value instanceof Buffer;
  }
  static isEncoding(encoding) {
    try {
      normalizeEncoding(encoding);
      return typeof encoding === "string";
    } catch {
      return false;
    }
  }
  static byteLength(value, encoding) {
    if (typeof value !== "string") return value.byteLength;
    return encodeString(value, encoding).length;
  }
  static concat(list, totalLength) {
    if (totalLength === undefined) totalLength = list.reduce((sum, b) => sum + b.length, 0);
    const out = Buffer.alloc(totalLength);
    let offset = 0;
    for (const b of list) {
      if (offset >= totalLength) break;
      const part = b.subarray(0, totalLength - offset);
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
  static compare(a, b) {
    return a.compare(b);
  }
  toString(encoding, start = 0, end = this.length) {
    start = Math.max(0, start | 0);
    end = Math.min(this.length, end);
    if (end <= start) return "";
    return decodeBytes(this.subarray(start, end), encoding);
  }
  toJSON() {
    return { type: "Buffer", data: Array.from(this) };
  }
  equals(other) {
    if (!(other instanceof Uint8Array)) {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_TYPE",
        `The "otherBuffer" argument must be an instance of Buffer or Uint8Array. Received ${
          describe(other)
        }`,
      );
    }
    return this.compare(other) === 0;
  }
  compare(other) {
    const n = Math.min(this.length, other.length);
    for (let i = 0; i < n; i++) {
      if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
    }
    return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
  }
  slice(start, end) {
    return this.subarray(start, end);
  }
  write(string, offset = 0, length, encoding) {
    if (typeof offset === "string") [encoding, offset] = [offset, 0];
    if (typeof length === "string") [encoding, length] = [length, undefined];
    const bytes = encodeString(string, encoding);
    const n = Math.min(bytes.length, this.length - offset, length ?? Infinity);
    this.set(bytes.subarray(0, n), offset);
    return n;
  }
  fill(value, offset = 0, end = this.length, encoding) {
    if (typeof offset === "string") [encoding, offset, end] = [offset, 0, this.length];
    if (typeof value === "string") {
      const bytes = value.length === 1 && value.charCodeAt(0) < 128
        ? [value.charCodeAt(0)]
        : encodeString(value, encoding);
      if (bytes.length === 0) return super.fill(0, offset, end);
      for (let i = offset, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
      return this;
    }
    return super.fill(typeof value === "number" ? value & 255 : Number(value), offset, end);
  }
  indexOf(value, byteOffset = 0, encoding) {
    if (typeof value === "number") return super.indexOf(value & 255, byteOffset);
    const needle = typeof value === "string" ? encodeString(value, encoding) : value;
    if (byteOffset < 0) byteOffset = Math.max(0, this.length + byteOffset);
    outer: for (let i = byteOffset; i <= this.length - needle.length; i++) {
      for (let j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
      return i;
    }
    return -1;
  }
  includes(value, byteOffset, encoding) {
    return this.indexOf(value, byteOffset, encoding) !== -1;
  }
  copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
    const part = this.subarray(
      sourceStart,
      Math.min(sourceEnd, sourceStart + target.length - targetStart),
    );
    target.set(part, targetStart);
    return part.length;
  }
  reverse() {
    return super.reverse();
  }
  get parent() {
    return this.buffer;
  }
  get offset() {
    return this.byteOffset;
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    const max = 50;
    let str = Array.from(this.subarray(0, max), (b) => b.toString(16).padStart(2, "0")).join(" ");
    if (this.length > max) {
      str += ` ... ${this.length - max} more byte${this.length - max > 1 ? "s" : ""}`;
    }
    return `<${this.constructor.name} ${str}>`.replace(" >", ">");
  }
}
function view(buffer) {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
function checkOffset(buffer, offset, size) {
  if (offset < 0 || offset + size > buffer.length || offset !== Math.floor(offset)) {
    throw codedError(
      RangeError,
      "ERR_OUT_OF_RANGE",
      `The value of "offset" is out of range. It must be >= 0 and <= ${
        buffer.length - size
      }. Received ${offset}`,
    );
  }
}
for (
  const [name, size, get, set, little] of [
    ["UInt8", 1, "getUint8", "setUint8"],
    ["Int8", 1, "getInt8", "setInt8"],
    ["UInt16LE", 2, "getUint16", "setUint16", true],
    ["UInt16BE", 2, "getUint16", "setUint16", false],
    ["Int16LE", 2, "getInt16", "setInt16", true],
    ["Int16BE", 2, "getInt16", "setInt16", false],
    ["UInt32LE", 4, "getUint32", "setUint32", true],
    ["UInt32BE", 4, "getUint32", "setUint32", false],
    ["Int32LE", 4, "getInt32", "setInt32", true],
    ["Int32BE", 4, "getInt32", "setInt32", false],
    ["FloatLE", 4, "getFloat32", "setFloat32", true],
    ["FloatBE", 4, "getFloat32", "setFloat32", false],
    ["DoubleLE", 8, "getFloat64", "setFloat64", true],
    ["DoubleBE", 8, "getFloat64", "setFloat64", false],
    ["BigInt64LE", 8, "getBigInt64", "setBigInt64", true],
    ["BigInt64BE", 8, "getBigInt64", "setBigInt64", false],
    ["BigUInt64LE", 8, "getBigUint64", "setBigUint64", true],
    ["BigUInt64BE", 8, "getBigUint64", "setBigUint64", false],
  ]
) {
  const methods = {
    [`read${name}`](offset = 0) {
      checkOffset(this, offset, size);
      return view(this)[get](offset, little);
    },
    [`write${name}`](value, offset = 0) {
      checkOffset(this, offset, size);
      view(this)[set](offset, value, little);
      return offset + size;
    },
  };
  for (const [key, fn] of Object.entries(methods)) {
    Object.defineProperty(Buffer.prototype, key, { value: fn, writable: true, configurable: true });
    if (name.includes("UInt")) {
      Object.defineProperty(Buffer.prototype, key.replace("UInt", "Uint"), {
        value: fn,
        writable: true,
        configurable: true,
      });
    }
  }
}
function toBuffer(bytes) {
  return new Buffer(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
Buffer.poolSize = 8192;

// ---- path (POSIX), after Node's lib/path.js -------------------------------------------------

function normalizeString(path, allowAboveRoot) {
  let res = "";
  let lastSegmentLength = 0;
  let lastSlash = -1;
  let dots = 0;
  let code;
  for (let i = 0; i <= path.length; ++i) {
    if (i < path.length) code = path[i];
    else if (code === "/") break;
    else code = "/";
    if (code === "/") {
      if (lastSlash === i - 1 || dots === 1) {
        // Skip.
      } else if (dots === 2) {
        if (res.length < 2 || lastSegmentLength !== 2 || !res.endsWith("..")) {
          if (res.length > 2) {
            const lastSlashIndex = res.lastIndexOf("/");
            if (lastSlashIndex === -1) {
              res = "";
              lastSegmentLength = 0;
            } else {
              res = res.slice(0, lastSlashIndex);
              lastSegmentLength = res.length - 1 - res.lastIndexOf("/");
            }
            lastSlash = i;
            dots = 0;
            continue;
          } else if (res.length !== 0) {
            res = "";
            lastSegmentLength = 0;
            lastSlash = i;
            dots = 0;
            continue;
          }
        }
        if (allowAboveRoot) {
          res += res.length > 0 ? "/.." : "..";
          lastSegmentLength = 2;
        }
      } else {
        if (res.length > 0) res += `/${path.slice(lastSlash + 1, i)}`;
        else res = path.slice(lastSlash + 1, i);
        lastSegmentLength = i - lastSlash - 1;
      }
      lastSlash = i;
      dots = 0;
    } else if (code === "." && dots !== -1) {
      ++dots;
    } else {
      dots = -1;
    }
  }
  return res;
}
function validateString(value, name) {
  if (typeof value !== "string") {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "${name}" argument must be of type string. Received ${describe(value)}`,
    );
  }
}
const path = {
  sep: "/",
  delimiter: ":",
  resolve(...args) {
    let resolvedPath = "";
    let resolvedAbsolute = false;
    for (let i = args.length - 1; i >= -1 && !resolvedAbsolute; i--) {
      const p = i >= 0 ? args[i] : process.cwd();
      validateString(p, `paths[${i}]`);
      if (p.length === 0) continue;
      resolvedPath = `${p}/${resolvedPath}`;
      resolvedAbsolute = p[0] === "/";
    }
    resolvedPath = normalizeString(resolvedPath, !resolvedAbsolute);
    if (resolvedAbsolute) return `/${resolvedPath}`;
    return resolvedPath.length > 0 ? resolvedPath : ".";
  },
  normalize(p) {
    validateString(p, "path");
    if (p.length === 0) return ".";
    const isAbsolute = p[0] === "/";
    const trailingSeparator = p[p.length - 1] === "/";
    p = normalizeString(p, !isAbsolute);
    if (p.length === 0) {
      if (isAbsolute) return "/";
      return trailingSeparator ? "./" : ".";
    }
    if (trailingSeparator) p += "/";
    return isAbsolute ? `/${p}` : p;
  },
  isAbsolute(p) {
    validateString(p, "path");
    return p.length > 0 && p[0] === "/";
  },
  join(...args) {
    if (args.length === 0) return ".";
    let joined;
    for (const arg of args) {
      validateString(arg, "path");
      if (arg.length > 0) joined = joined === undefined ? arg : `${joined}/${arg}`;
    }
    if (joined === undefined) return ".";
    return path.normalize(joined);
  },
  relative(from, to) {
    validateString(from, "from");
    validateString(to, "to");
    if (from === to) return "";
    from = path.resolve(from);
    to = path.resolve(to);
    if (from === to) return "";
    const fromStart = 1;
    const fromEnd = from.length;
    const fromLen = fromEnd - fromStart;
    const toStart = 1;
    const toLen = to.length - toStart;
    const length = fromLen < toLen ? fromLen : toLen;
    let lastCommonSep = -1;
    let i = 0;
    for (; i < length; i++) {
      const fromCode = from[fromStart + i];
      if (fromCode !== to[toStart + i]) break;
      else if (fromCode === "/") lastCommonSep = i;
    }
    if (i === length) {
      if (toLen > length) {
        if (to[toStart + i] === "/") return to.slice(toStart + i + 1);
        if (i === 0) return to.slice(toStart + i);
      } else if (fromLen > length) {
        if (from[fromStart + i] === "/") lastCommonSep = i;
        else if (i === 0) lastCommonSep = 0;
      }
    }
    let out = "";
    for (i = fromStart + lastCommonSep + 1; i <= fromEnd; ++i) {
      if (i === fromEnd || from[i] === "/") out += out.length === 0 ? ".." : "/..";
    }
    return `${out}${to.slice(toStart + lastCommonSep)}`;
  },
  toNamespacedPath(p) {
    return p;
  },
  dirname(p) {
    validateString(p, "path");
    if (p.length === 0) return ".";
    const hasRoot = p[0] === "/";
    let end = -1;
    let matchedSlash = true;
    for (let i = p.length - 1; i >= 1; --i) {
      if (p[i] === "/") {
        if (!matchedSlash) {
          end = i;
          break;
        }
      } else {
        matchedSlash = false;
      }
    }
    if (end === -1) return hasRoot ? "/" : ".";
    if (hasRoot && end === 1) return "//";
    return p.slice(0, end);
  },
  basename(p, suffix) {
    validateString(p, "path");
    let end = p.length;
    while (end > 1 && p[end - 1] === "/") end--;
    p = p.slice(0, end);
    let base = p.slice(p.lastIndexOf("/") + 1);
    if (suffix !== undefined && base !== suffix && base.endsWith(suffix)) {
      base = base.slice(0, base.length - suffix.length);
    }
    return base;
  },
  extname(p) {
    validateString(p, "path");
    const base = path.basename(p);
    const dot = base.lastIndexOf(".");
    if (dot <= 0 || dot === base.length - 1 && base === "..") return "";
    if (base.slice(0, dot).replace(/\./g, "") === "" && dot === base.length - 1) return "";
    return base.slice(dot);
  },
  format(pathObject) {
    const dir = pathObject.dir || pathObject.root;
    const base = pathObject.base ||
      `${pathObject.name || ""}${
        pathObject.ext ? (pathObject.ext[0] === "." ? "" : ".") + pathObject.ext : ""
      }`;
    if (!dir) return base;
    return dir === pathObject.root ? `${dir}${base}` : `${dir}/${base}`;
  },
  parse(p) {
    validateString(p, "path");
    const ret = { root: "", dir: "", base: "", ext: "", name: "" };
    if (p.length === 0) return ret;
    const isAbsolute = p[0] === "/";
    if (isAbsolute) ret.root = "/";
    let trimmed = p;
    while (trimmed.length > 1 && trimmed.endsWith("/")) trimmed = trimmed.slice(0, -1);
    if (trimmed === "/") return ret;
    ret.base = path.basename(trimmed);
    ret.ext = path.extname(trimmed);
    ret.name = ret.ext ? ret.base.slice(0, -ret.ext.length) : ret.base;
    const slash = trimmed.lastIndexOf("/");
    ret.dir = slash === -1 ? "" : slash === 0 ? "/" : trimmed.slice(0, slash);
    return ret;
  },
  matchesGlob: undefined,
};
delete path.matchesGlob;
path.posix = path;
path.win32 = new Proxy({}, {
  get() {
    throw codedError(
      Error,
      "ERR_UNAVAILABLE_IN_SANDBOX",
      "path.win32 is not available in this sandbox: paths here are POSIX",
    );
  },
});

// ---- fs ---------------------------------------------------------------------------------------

const ERRNO = {
  2: ["EACCES", "permission denied", -13],
  8: ["EBADF", "bad file descriptor", -9],
  20: ["EEXIST", "file already exists", -17],
  28: ["EINVAL", "invalid argument", -22],
  31: ["EISDIR", "illegal operation on a directory", -21],
  44: ["ENOENT", "no such file or directory", -2],
  54: ["ENOTDIR", "not a directory", -20],
  55: ["ENOTEMPTY", "directory not empty", -39],
  63: ["EPERM", "operation not permitted", -1],
  76: ["EROFS", "read-only file system", -30],
};
const CODE_TO_WASI = Object.fromEntries(
  Object.entries(ERRNO).map(([n, [code]]) => [code.slice(1), Number(n)]),
);

function normalizeAbsolute(p) {
  try {
    return path.resolve(p);
  } catch {
    return p;
  }
}

function fsError(errno, syscall, path, dest) {
  if (typeof errno === "object" && errno !== null) {
    errno = errno.errno ?? CODE_TO_WASI[errno.code] ?? 28;
  }
  const [code, text, uvErrno] = ERRNO[errno] ?? ["EIO", "i/o error", -5];
  if (
    givenPath !== undefined && path !== undefined && dest === undefined &&
    path === normalizeAbsolute(givenPath)
  ) path = givenPath;
  let message = `${code}: ${text}, ${syscall}`;
  if (path !== undefined) message += ` '${path}'`;
  if (dest !== undefined) message += ` -> '${dest}'`;
  const err = new Error(message);
  err.errno = uvErrno;
  err.code = code;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  if (dest !== undefined) err.dest = dest;
  return err;
}

// Node's error messages name a path as the program gave it.
let givenPath;
function toPath(p, name = "path") {
  givenPath = typeof p === "string" ? p : undefined;
  if (typeof URL === "function" && p instanceof URL) return p.pathname;
  if (p instanceof Uint8Array) return decodeBytes(p, "utf8");
  if (typeof p !== "string") {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "${name}" argument must be of type string or an instance of Buffer or URL. Received ${
        describe(p)
      }`,
    );
  }
  return path.resolve(p);
}

function optionsOf(options, defaults) {
  if (options === undefined || options === null || typeof options === "function") {
    return { ...defaults };
  }
  if (typeof options === "string") return { ...defaults, encoding: options };
  return { ...defaults, ...options };
}

function encodeResult(bytes, encoding) {
  return encoding && encoding !== "buffer" ? decodeBytes(bytes, encoding) : toBuffer(bytes);
}

function rawStat(p, syscall, follow = true) {
  try {
    return follow ? binding.statSync(p) : binding.lstatSync(p);
  } catch (err) {
    throw fsError(err, syscall, p);
  }
}

function readBytes(file, syscall = "open") {
  if (file === 0 || file === "/dev/stdin") return readStdin();
  const p = toPath(file);
  const info = rawStat(p, "open");
  if (info.is_directory) throw fsError(31, "read");
  const errorObj = {};
  const f = std.open(p, "rb", errorObj);
  if (f === null) throw fsError(errorObj.errno, syscall, p);
  try {
    const chunks = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.max(65536, info.size + 1 - total));
      const n = f.read(chunk.buffer, 0, chunk.length);
      if (!n) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    f.close();
  }
}

function writeBytes(file, data, options, mode) {
  const bytes = typeof data === "string"
    ? encodeString(data, options.encoding ?? "utf8")
    : ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : encodeString(String(data), "utf8");
  if (file === 1 || file === 2) {
    (file === 1 ? std.out : std.err).write(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return;
  }
  const p = toPath(file);
  const flag = options.flag ?? mode;
  const errorObj = {};
  if (flag.includes("x")) {
    try {
      binding.statSync(p);
      throw fsError(20, "open", p);
    } catch (err) {
      if (err.code === "EEXIST") throw err;
    }
  }
  const f = std.open(p, flag.replace("x", "").replace("s", "") + "b", errorObj);
  if (f === null) throw fsError(errorObj.errno, "open", p);
  try {
    if (bytes.byteLength > 0) f.write(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    f.close();
  }
}

class Stats {
  constructor(raw) {
    this.dev = raw.dev;
    this.mode = raw.mode | (raw.is_directory ? 0o040000 : raw.is_symlink ? 0o120000 : 0o100000);
    this.nlink = raw.nlink;
    this.uid = raw.uid;
    this.gid = raw.gid;
    this.rdev = raw.rdev;
    this.blksize = 4096;
    this.ino = raw.ino;
    this.size = raw.size;
    this.blocks = Math.ceil(raw.size / 512);
    this.atimeMs = raw.atime;
    this.mtimeMs = raw.mtime;
    this.ctimeMs = raw.mtime;
    this.birthtimeMs = raw.birthtime;
    this.atime = new Date(raw.atime);
    this.mtime = new Date(raw.mtime);
    this.ctime = new Date(raw.mtime);
    this.birthtime = new Date(raw.birthtime);
    Object.defineProperty(this, "_raw", { value: raw });
  }
  isFile() {
    return this._raw.is_file;
  }
  isDirectory() {
    return this._raw.is_directory;
  }
  isSymbolicLink() {
    return this._raw.is_symlink;
  }
  isBlockDevice() {
    return this._raw.is_block_device;
  }
  isCharacterDevice() {
    return this._raw.is_char_device;
  }
  isFIFO() {
    return false;
  }
  isSocket() {
    return this._raw.is_socket;
  }
}

const DIRENT_TYPES = { 1: "block", 2: "char", 3: "dir", 4: "file", 7: "symlink" };
class Dirent {
  constructor(name, type, parentPath) {
    this.name = name;
    this.parentPath = parentPath;
    this.path = parentPath;
    Object.defineProperty(this, "_type", { value: DIRENT_TYPES[type] });
  }
  isFile() {
    return this._type === "file";
  }
  isDirectory() {
    return this._type === "dir";
  }
  isSymbolicLink() {
    return this._type === "symlink";
  }
  isBlockDevice() {
    return this._type === "block";
  }
  isCharacterDevice() {
    return this._type === "char";
  }
  isFIFO() {
    return false;
  }
  isSocket() {
    return false;
  }
}

function listDir(p) {
  const info = rawStat(p, "scandir");
  if (!info.is_directory) throw fsError(54, "scandir", p);
  let fd;
  try {
    fd = binding.openSync(p, 0, 0);
  } catch (err) {
    throw fsError(err, "scandir", p);
  }
  const entries = [];
  try {
    let cookie = 0;
    for (;;) {
      const data = binding.freaddirSync(fd, cookie);
      for (const entry of data.res) {
        if (entry.name !== "." && entry.name !== "..") entries.push(entry);
      }
      if (data.fin) break;
      cookie = data.cookie;
    }
  } finally {
    binding.fcloseSync(fd);
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function exists(p) {
  try {
    binding.statSync(p);
    return true;
  } catch {
    return false;
  }
}

const fs = {
  constants: {
    F_OK: 0,
    R_OK: 4,
    W_OK: 2,
    X_OK: 1,
    COPYFILE_EXCL: 1,
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
  },
  readFileSync(file, options) {
    const { encoding } = optionsOf(options, { encoding: null, flag: "r" });
    const bytes = readBytes(file);
    return encodeResult(bytes, encoding);
  },
  writeFileSync(file, data, options) {
    writeBytes(file, data, optionsOf(options, { encoding: "utf8" }), "w");
  },
  appendFileSync(file, data, options) {
    writeBytes(file, data, optionsOf(options, { encoding: "utf8" }), "a");
  },
  existsSync(p) {
    try {
      return exists(toPath(p));
    } catch {
      return false;
    }
  },
  accessSync(p, mode) {
    p = toPath(p);
    rawStat(p, "access");
  },
  readdirSync(p, options) {
    const { withFileTypes, recursive, encoding } = optionsOf(options, { encoding: "utf8" });
    const root = toPath(p);
    const out = [];
    const walk = (dir, prefix) => {
      for (const entry of listDir(dir)) {
        const name = prefix + entry.name;
        out.push(
          withFileTypes
            ? new Dirent(entry.name, entry.filetype, dir)
            : encoding === "buffer"
            ? Buffer.from(name)
            : name,
        );
        if (recursive && entry.filetype === 3) {
          walk(`${dir === "/" ? "" : dir}/${entry.name}`, `${name}/`);
        }
      }
    };
    walk(root, "");
    return out;
  },
  mkdirSync(p, options) {
    const { recursive, mode } = typeof options === "number"
      ? { mode: options }
      : optionsOf(options, { recursive: false, mode: 0o777 });
    p = toPath(p);
    if (recursive) {
      let first;
      let dir = "";
      for (const part of p.split("/").filter(Boolean)) {
        dir += `/${part}`;
        if (!exists(dir)) {
          first ??= dir;
          try {
            binding.mkdirSync(dir, false, mode ?? 0o777);
          } catch (err) {
            throw fsError(err, "mkdir", p);
          }
        } else if (!binding.statSync(dir).is_directory) {
          throw fsError(20, "mkdir", p);
        }
      }
      return first;
    }
    try {
      binding.mkdirSync(p, false, mode ?? 0o777);
    } catch (err) {
      throw fsError(err, "mkdir", p);
    }
    return undefined;
  },
  statSync(p, options) {
    p = toPath(p);
    try {
      return new Stats(binding.statSync(p));
    } catch (err) {
      if (options?.throwIfNoEntry === false) return undefined;
      throw fsError(err, "stat", p);
    }
  },
  lstatSync(p, options) {
    p = toPath(p);
    try {
      return new Stats(binding.lstatSync(p));
    } catch (err) {
      if (options?.throwIfNoEntry === false) return undefined;
      throw fsError(err, "lstat", p);
    }
  },
  unlinkSync(p) {
    p = toPath(p);
    const info = rawStat(p, "unlink", false);
    if (info.is_directory) throw fsError(31, "unlink", p);
    try {
      binding.rmSync(p, false, false);
    } catch (err) {
      throw fsError(err, "unlink", p);
    }
  },
  rmSync(p, options) {
    const { recursive, force } = optionsOf(options, { recursive: false, force: false });
    p = toPath(p);
    let info;
    try {
      info = binding.lstatSync(p);
    } catch (err) {
      if (force) return;
      throw fsError(err, "rm", p);
    }
    if (info.is_directory && !recursive) {
      const err = codedError(
        Error,
        "ERR_FS_EISDIR",
        `Path is a directory: rm returned EISDIR (is a directory) ${p}`,
      );
      err.errno = 21;
      err.syscall = "rm";
      err.path = p;
      throw err;
    }
    try {
      binding.rmSync(p, Boolean(recursive), Boolean(force));
    } catch (err) {
      throw fsError(err, "rm", p);
    }
  },
  rmdirSync(p, options) {
    p = toPath(p);
    try {
      binding.rmdirSync(p, Boolean(options?.recursive));
    } catch (err) {
      throw fsError(err, "rmdir", p);
    }
  },
  renameSync(from, to) {
    from = toPath(from, "oldPath");
    to = toPath(to, "newPath");
    rawStat(from, "rename");
    try {
      if (exists(to) && !binding.statSync(to).is_directory) binding.rmSync(to, false, false);
      binding.renameSync(from, to);
    } catch (err) {
      throw fsError(err, "rename", from, to);
    }
  },
  copyFileSync(src, dest, mode = 0) {
    src = toPath(src, "src");
    dest = toPath(dest, "dest");
    if ((mode & 1) && exists(dest)) throw fsError(20, "copyfile", src, dest);
    const bytes = readBytes(src, "copyfile");
    writeBytes(dest, bytes, {}, "w");
  },
  realpathSync(p) {
    p = toPath(p);
    rawStat(p, "realpath");
    return p;
  },
  mkdtempSync(prefix) {
    const dir = `${toPath(prefix)}${Math.random().toString(36).slice(2, 8)}`;
    fs.mkdirSync(dir);
    return dir;
  },
  truncateSync(p, len = 0) {
    const bytes = readBytes(p);
    const out = new Uint8Array(len);
    out.set(bytes.subarray(0, len));
    writeBytes(p, out, {}, "w");
  },
  chmodSync() {},
  chownSync() {},
  utimesSync() {},
  watch() {
    throw codedError(
      Error,
      "ERR_UNAVAILABLE_IN_SANDBOX",
      "fs.watch() is not available in this sandbox: nothing else changes its files while a program runs",
    );
  },
  createReadStream(p, options) {
    const { encoding } = optionsOf(options, {});
    const stream = new EventEmitter();
    stream.setEncoding = (e) => {
      stream._encoding = e;
      return stream;
    };
    stream.pipe = (destination) => {
      stream.on("data", (chunk) => destination.write(chunk));
      return destination;
    };
    stream[Symbol.asyncIterator] = async function* () {
      yield encodeResult(readBytes(p), stream._encoding ?? encoding);
    };
    setImmediate(() => {
      let data;
      try {
        data = readBytes(p);
      } catch (err) {
        stream.emit("error", err);
        return;
      }
      if (data.length > 0) stream.emit("data", encodeResult(data, stream._encoding ?? encoding));
      stream.emit("end");
      stream.emit("close");
    });
    return stream;
  },
  createWriteStream(p, options) {
    const { flags } = optionsOf(options, { flags: "w" });
    const target = toPath(p);
    writeBytes(target, "", {}, flags);
    const stream = new EventEmitter();
    stream.write = (chunk, encoding, callback) => {
      writeBytes(
        target,
        chunk,
        { encoding: typeof encoding === "string" ? encoding : "utf8" },
        "a",
      );
      const cb = typeof encoding === "function" ? encoding : callback;
      if (cb) process.nextTick(cb);
      return true;
    };
    stream.end = (chunk, encoding, callback) => {
      if (typeof chunk === "function") [callback, chunk] = [chunk, undefined];
      if (chunk !== undefined && chunk !== null) stream.write(chunk, encoding);
      setImmediate(() => {
        stream.emit("finish");
        stream.emit("close");
        if (typeof callback === "function") callback();
      });
      return stream;
    };
    stream.path = target;
    return stream;
  },
  Stats,
  Dirent,
};
fs.openSync = function openSync(p, flags = "r") {
  // File descriptors as numbers: an open file is a path plus a cursor mode.
  const target = toPath(p);
  if (flags.startsWith("w")) writeBytes(target, "", {}, "w");
  else if (!exists(target)) throw fsError(44, "open", target);
  const fd = nextFd++;
  openFiles.set(fd, { path: target, flags });
  return fd;
};
fs.closeSync = function closeSync(fd) {
  if (!openFiles.delete(fd)) throw fsError(8, "close");
};
fs.writeSync = function writeSync(fd, data, ...rest) {
  if (fd === 1 || fd === 2) {
    writeBytes(fd, data, { encoding: typeof rest[1] === "string" ? rest[1] : "utf8" }, "a");
    return typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
  }
  const file = openFiles.get(fd);
  if (!file) throw fsError(8, "write");
  writeBytes(file.path, data, {}, "a");
  return typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
};
fs.fstatSync = function fstatSync(fd) {
  if (fd === 0) {
    return new Stats({
      size: readStdin().length,
      is_file: false,
      is_char_device: true,
      mtime: 0,
      atime: 0,
      birthtime: 0,
    });
  }
  const file = openFiles.get(fd);
  if (!file) throw fsError(8, "fstat");
  return fs.statSync(file.path);
};
const openFiles = new Map();
let nextFd = 10;

// Callback and promise forms of the sync functions: the work is synchronous, the answer comes
// on a later turn as Node's would.
const promises = {};
for (
  const name of [
    "readFile",
    "writeFile",
    "appendFile",
    "readdir",
    "mkdir",
    "stat",
    "lstat",
    "unlink",
    "rm",
    "rmdir",
    "rename",
    "copyFile",
    "access",
    "realpath",
    "mkdtemp",
    "truncate",
    "chmod",
    "utimes",
  ]
) {
  const sync = fs[`${name}Sync`];
  promises[name] = function (...args) {
    return new Promise((resolve, reject) => {
      try {
        resolve(sync(...args));
      } catch (err) {
        reject(err);
      }
    });
  };
  fs[name] = function (...args) {
    const callback = args.pop();
    if (typeof callback !== "function") {
      throw codedError(
        TypeError,
        "ERR_INVALID_ARG_TYPE",
        `The "cb" argument must be of type function. Received ${describe(callback)}`,
      );
    }
    let result, error = null;
    try {
      result = sync(...args);
    } catch (err) {
      error = err;
    }
    setImmediate(() => (error ? callback(error) : callback(null, result)));
  };
}
fs.exists = (p, callback) => setImmediate(() => callback(fs.existsSync(p)));
promises.constants = fs.constants;
fs.promises = promises;

// ---- util ------------------------------------------------------------------------------------

const kCustomPromisify = Symbol.for("nodejs.util.promisify.custom");
function promisify(original) {
  if (typeof original !== "function") {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "original" argument must be of type function. Received ${describe(original)}`,
    );
  }
  if (original[kCustomPromisify]) return original[kCustomPromisify];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      original.call(this, ...args, (err, ...values) => {
        if (err) reject(err);
        else resolve(values.length > 1 ? values : values[0]);
      });
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;
setTimeout[kCustomPromisify] = (delay, value) =>
  new Promise((resolve) => setTimeout(resolve, delay, value));
setImmediate[kCustomPromisify] = (value) => new Promise((resolve) => setImmediate(resolve, value));

function isDeepStrictEqual(a, b) {
  return deepEqual(a, b, true, new Map());
}

function deepEqual(a, b, strict, memo) {
  if (strict ? Object.is(a, b) : a == b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return false;
  }
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tagA = Object.prototype.toString.call(a);
  if (tagA !== Object.prototype.toString.call(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Date) {
    if (a.getTime() !== b.getTime()) return false;
  } else if (a instanceof RegExp) {
    if (String(a) !== String(b) || a.lastIndex !== b.lastIndex) return false;
  } else if (a instanceof Error) {
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  } else if (a instanceof Number || a instanceof String || a instanceof Boolean) {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  }
  const seen = memo.get(a);
  if (seen === b) return true;
  memo.set(a, b);
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a) {
      if (!b.has(key)) {
        let found = false;
        if (typeof key === "object" && key !== null) {
          for (const [k2, v2] of b) {
            if (deepEqual(key, k2, strict, memo) && deepEqual(value, v2, strict, memo)) {
              found = true;
            }
          }
        }
        if (!found) return false;
      } else if (!deepEqual(value, b.get(key), strict, memo)) return false;
    }
  } else if (a instanceof Set) {
    if (a.size !== b.size) return false;
    for (const value of a) {
      if (!b.has(value)) {
        if (typeof value !== "object" || value === null) return false;
        let found = false;
        for (const v2 of b) if (deepEqual(value, v2, strict, memo)) found = true;
        if (!found) return false;
      }
    }
  }
  const keysA = Object.keys(a), keysB = Object.keys(b);
  if (ArrayBuffer.isView(a)) {
    keysA.length = 0;
    keysB.length = 0;
  }
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!deepEqual(a[key], b[key], strict, memo)) return false;
  }
  if (strict) {
    const symA = Object.getOwnPropertySymbols(a).filter((s) =>
      Object.prototype.propertyIsEnumerable.call(a, s)
    );
    const symB = Object.getOwnPropertySymbols(b).filter((s) =>
      Object.prototype.propertyIsEnumerable.call(b, s)
    );
    if (symA.length !== symB.length) return false;
    for (const s of symA) if (!deepEqual(a[s], b[s], strict, memo)) return false;
  }
  return true;
}

const types = {
  isDate: (v) => v instanceof Date,
  isRegExp: (v) => v instanceof RegExp,
  isMap: (v) => v instanceof Map,
  isSet: (v) => v instanceof Set,
  isWeakMap: (v) => v instanceof WeakMap,
  isWeakSet: (v) => v instanceof WeakSet,
  isPromise: (v) => v instanceof Promise,
  isNativeError: (v) => v instanceof Error,
  isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
  isUint8Array: (v) => v instanceof Uint8Array,
  isArrayBuffer: (v) => v instanceof ArrayBuffer,
  isAnyArrayBuffer: (v) => v instanceof ArrayBuffer || v instanceof SharedArrayBuffer,
  isDataView: (v) => v instanceof DataView,
  isAsyncFunction: (v) =>
    typeof v === "function" && Object.getPrototypeOf(v)?.constructor?.name === "AsyncFunction",
  isGeneratorFunction: (v) =>
    typeof v === "function" &&
    /GeneratorFunction$/.test(Object.getPrototypeOf(v)?.constructor?.name ?? ""),
  isBoxedPrimitive: (v) => v instanceof Number || v instanceof String || v instanceof Boolean,
  isSymbolObject: (v) => typeof v === "object" && v instanceof Symbol,
  isProxy: () => false,
};

const util = {
  inspect,
  format,
  formatWithOptions,
  promisify,
  callbackify(original) {
    return function (...args) {
      const callback = args.pop();
      original.apply(this, args).then(
        (value) => process.nextTick(callback, null, value),
        (err) => process.nextTick(callback, err),
      );
    };
  },
  inherits(ctor, superCtor) {
    Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  },
  deprecate(fn, message) {
    let warned = false;
    return function (...args) {
      if (!warned) {
        warned = true;
        process.emitWarning(message, "DeprecationWarning");
      }
      return new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
    };
  },
  isDeepStrictEqual,
  types,
  isArray: Array.isArray,
  isString: (v) => typeof v === "string",
  isNumber: (v) => typeof v === "number",
  isFunction: (v) => typeof v === "function",
  isObject: (v) => v !== null && typeof v === "object",
  isError: (v) => v instanceof Error,
  stripVTControlCharacters: (s) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ""),
  toUSVString: (s) => String(s).toWellFormed(),
  TextEncoder,
  TextDecoder,
  debuglog() {
    const log = () => {};
    log.enabled = false;
    return log;
  },
  styleText: (format, text) => text,
  parseArgs: undefined,
};
util.debug = util.debuglog;
delete util.parseArgs;

// ---- assert ----------------------------------------------------------------------------------

class AssertionError extends Error {
  constructor(options) {
    const { message, actual, expected, operator } = options;
    super(message !== undefined ? String(message) : assertionMessage(actual, expected, operator));
    this.generatedMessage = message === undefined;
    this.code = "ERR_ASSERTION";
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
    Object.defineProperty(this, "name", {
      value: "AssertionError",
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}
// Node prints "AssertionError [ERR_ASSERTION]: message" at the head of the stack.
Object.defineProperty(AssertionError.prototype, "name", {
  value: "AssertionError [ERR_ASSERTION]",
  writable: true,
  configurable: true,
});

const OPERATOR_TEXT = {
  deepStrictEqual: "Expected values to be strictly deep-equal:",
  strictEqual: "Expected values to be strictly equal:",
  deepEqual: "Expected values to be loosely deep-equal:",
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
};

function assertionMessage(actual, expected, operator) {
  const show = (v) =>
    inspect(v, {
      compact: false,
      sorted: true,
      getters: true,
      depth: 1000,
      breakLength: Infinity,
      customInspect: false,
    });
  switch (operator) {
    case "==":
      return `${inspect(actual)} == ${inspect(expected)}`;
    case "!=":
      return `${inspect(actual)} != ${inspect(expected)}`;
    case "strictEqual":
    case "deepStrictEqual":
    case "deepEqual": {
      if (
        operator === "strictEqual" && (typeof actual !== "object" || actual === null) &&
        (typeof expected !== "object" || expected === null) && typeof actual !== "function" &&
        typeof expected !== "function"
      ) {
        return `${OPERATOR_TEXT[operator]}\n\n${inspect(actual)} !== ${inspect(expected)}\n`;
      }
      const a = show(actual).split("\n"), e = show(expected).split("\n");
      if (
        a.length === 1 && e.length === 1 && a[0] !== e[0] && a[0].length + e[0].length <= 24 &&
        !(typeof actual === "object" && actual !== null) &&
        !(typeof expected === "object" && expected !== null)
      ) {
        return `${OPERATOR_TEXT[operator]}\n\n${a[0]} !== ${e[0]}\n`;
      }
      let out = `${OPERATOR_TEXT[operator]}\n+ actual - expected\n\n`;
      const lines = diffLines(a, e);
      out += lines.join("\n");
      return out;
    }
    case "notStrictEqual":
    case "notDeepStrictEqual":
    case "notDeepEqual": {
      const shown = show(actual).split("\n");
      return `${OPERATOR_TEXT[operator]}${shown.length > 1 ? "\n\n" : " "}${
        shown.length > 1 ? shown.join("\n") : shown[0]
      }${shown.length > 1 ? "\n" : ""}`;
    }
    default:
      return `${inspect(actual)} ${operator} ${inspect(expected)}`;
  }
}

// A plain line diff: Node's is Myers' with context folding; this keeps its +/- shape.
function diffLines(a, e) {
  const n = a.length, m = e.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === e[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === e[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push(`+ ${a[i++]}`);
    } else {
      out.push(`- ${e[j++]}`);
    }
  }
  return out;
}

function innerFail(obj) {
  if (obj.message instanceof Error) throw obj.message;
  if (
    obj.message !== undefined &&
    ["strictEqual", "deepStrictEqual", "deepEqual"].includes(obj.operator)
  ) {
    // Node 20 keeps the comparison under a message the program gave.
    const generated = assertionMessage(obj.actual, obj.expected, obj.operator);
    const err = new AssertionError({
      ...obj,
      message: `${obj.message}\n${generated.slice(generated.indexOf("\n") + 1)}`,
    });
    err.generatedMessage = false;
    throw err;
  }
  throw new AssertionError(obj);
}

function innerOk(value, message, argsLength) {
  if (!value) {
    let generated = false;
    if (argsLength === 0) {
      message = "No value argument passed to `assert.ok()`";
    } else if (message === undefined) {
      generated = true;
      message = "The expression evaluated to a falsy value:\n\n  assert(" + inspect(value) + ")\n";
    }
    const err = new AssertionError({ message, actual: value, expected: true, operator: "==" });
    err.generatedMessage = generated;
    throw err;
  }
}

function assert(...args) {
  innerOk(args[0], args[1], args.length);
}
function matchError(actual, expected, message, fnName) {
  if (expected === undefined) return;
  if (typeof expected === "function") {
    if (expected.prototype !== undefined && actual instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) {
      throw new AssertionError({
        actual,
        expected,
        operator: fnName,
        message: message ??
          `The error is expected to be an instance of "${expected.name}". Received "${actual?.constructor?.name}"\n\nError message:\n\n${actual?.message}`,
      });
    }
    if (expected.call({}, actual) !== true) {
      throw new AssertionError({
        actual,
        expected,
        operator: fnName,
        message: message ??
          `The ${
            expected.name ? `"${expected.name}" validation function` : "validation function"
          } is expected to return "true". Received ${inspect(expected.call({}, actual))}`,
      });
    }
    return;
  }
  if (expected instanceof RegExp) {
    if (expected.test(String(actual))) return;
    throw new AssertionError({
      actual,
      expected,
      operator: fnName,
      message: message ??
        `The input did not match the regular expression ${inspect(expected)}. Input:\n\n${
          inspect(String(actual))
        }\n`,
    });
  }
  if (typeof expected === "object" && expected !== null) {
    for (const key of Object.keys(expected)) {
      const want = expected[key], got = actual?.[key];
      const ok = want instanceof RegExp && typeof got === "string"
        ? want.test(got)
        : isDeepStrictEqual(got, want);
      if (!ok) {
        throw new AssertionError({
          actual,
          expected,
          operator: fnName,
          message: message ??
            `Expected values to be strictly deep-equal:\n+ actual - expected\n\n  Comparison {\n+   ${key}: ${
              inspect(got)
            }\n-   ${key}: ${inspect(want)}\n  }`,
        });
      }
    }
  }
}
Object.assign(assert, {
  ok: (...args) => innerOk(args[0], args[1], args.length),
  AssertionError,
  fail(message = "Failed") {
    if (message instanceof Error) throw message;
    const err = new AssertionError({ message, operator: "fail" });
    err.generatedMessage = message === "Failed";
    throw err;
  },
  equal(actual, expected, message) {
    if (!(actual == expected || (Number.isNaN(actual) && Number.isNaN(expected)))) {
      innerFail({ actual, expected, message, operator: "==" });
    }
  },
  notEqual(actual, expected, message) {
    if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) {
      innerFail({ actual, expected, message, operator: "!=" });
    }
  },
  strictEqual(actual, expected, message) {
    if (!Object.is(actual, expected)) {
      innerFail({ actual, expected, message, operator: "strictEqual" });
    }
  },
  notStrictEqual(actual, expected, message) {
    if (Object.is(actual, expected)) {
      innerFail({ actual, expected, message, operator: "notStrictEqual" });
    }
  },
  deepEqual(actual, expected, message) {
    if (!deepEqual(actual, expected, false, new Map())) {
      innerFail({ actual, expected, message, operator: "deepEqual" });
    }
  },
  notDeepEqual(actual, expected, message) {
    if (deepEqual(actual, expected, false, new Map())) {
      innerFail({ actual, expected, message, operator: "notDeepEqual" });
    }
  },
  deepStrictEqual(actual, expected, message) {
    if (!isDeepStrictEqual(actual, expected)) {
      innerFail({ actual, expected, message, operator: "deepStrictEqual" });
    }
  },
  notDeepStrictEqual(actual, expected, message) {
    if (isDeepStrictEqual(actual, expected)) {
      innerFail({ actual, expected, message, operator: "notDeepStrictEqual" });
    }
  },
  throws(fn, expected, message) {
    if (typeof expected === "string") [message, expected] = [expected, undefined];
    try {
      fn();
    } catch (err) {
      matchError(err, expected, message, "throws");
      return;
    }
    innerFail({
      actual: undefined,
      expected,
      operator: "throws",
      message: message ??
        `Missing expected exception${expected?.name ? ` (${expected.name})` : ""}.`,
    });
  },
  doesNotThrow(fn, message) {
    try {
      fn();
    } catch (err) {
      innerFail({
        actual: err,
        operator: "doesNotThrow",
        message: `Got unwanted exception${
          typeof message === "string" ? `: ${message}` : "."
        }\nActual message: "${err?.message}"`,
      });
    }
  },
  async rejects(promiseFn, expected, message) {
    if (typeof expected === "string") [message, expected] = [expected, undefined];
    try {
      await (typeof promiseFn === "function" ? promiseFn() : promiseFn);
    } catch (err) {
      matchError(err, expected, message, "rejects");
      return;
    }
    innerFail({
      actual: undefined,
      expected,
      operator: "rejects",
      message: message ??
        `Missing expected rejection${expected?.name ? ` (${expected.name})` : ""}.`,
    });
  },
  async doesNotReject(promiseFn, message) {
    try {
      await (typeof promiseFn === "function" ? promiseFn() : promiseFn);
    } catch (err) {
      innerFail({
        actual: err,
        operator: "doesNotReject",
        message: `Got unwanted rejection.\nActual message: "${err?.message}"`,
      });
    }
  },
  match(string, regexp, message) {
    if (!regexp.test(string)) {
      innerFail({
        actual: string,
        expected: regexp,
        operator: "match",
        message: message ??
          `The input did not match the regular expression ${inspect(regexp)}. Input:\n\n${
            inspect(string)
          }\n`,
      });
    }
  },
  doesNotMatch(string, regexp, message) {
    if (regexp.test(string)) {
      innerFail({
        actual: string,
        expected: regexp,
        operator: "doesNotMatch",
        message: message ??
          `The input was expected to not match the regular expression ${
            inspect(regexp)
          }. Input:\n\n${inspect(string)}\n`,
      });
    }
  },
  ifError(value) {
    if (value !== null && value !== undefined) {
      throw new AssertionError({
        actual: value,
        expected: null,
        operator: "ifError",
        message: `ifError got unwanted exception: ${value?.message ?? inspect(value)}`,
      });
    }
  },
});
assert.strict = Object.assign((...args) => innerOk(args[0], args[1], args.length), assert, {
  equal: assert.strictEqual,
  notEqual: assert.notStrictEqual,
  deepEqual: assert.deepStrictEqual,
  notDeepEqual: assert.notDeepStrictEqual,
});
assert.strict.strict = assert.strict;

// ---- readline ----------------------------------------------------------------------------------

function stdinLines() {
  const text = readStdin().toString("utf8");
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

class Interface extends EventEmitter {
  constructor(input, output, completer, terminal) {
    super();
    const options = input && input.input !== undefined ? input : { input, output };
    this.input = options.input;
    this.output = options.output;
    this.terminal = false;
    this.line = "";
    this.closed = false;
    this._prompt = options.prompt ?? "> ";
    this._lines = null;
    this._questions = [];
    this._paused = false;
    this._scheduled = false;
    this._fromStdin = this.input === process.stdin || this.input === undefined;
    this._schedule();
  }
  _source() {
    if (this._lines === null) {
      if (this._fromStdin) this._lines = stdinLines();
      else {
        this._lines = [];
        this._streamEnded = false;
        let buffered = "";
        this.input.on?.("data", (chunk) => {
          buffered += String(chunk);
          const parts = buffered.split(/\r?\n/);
          buffered = parts.pop();
          this._lines.push(...parts);
          this._schedule();
        });
        this.input.on?.("end", () => {
          if (buffered) this._lines.push(buffered);
          this._streamEnded = true;
          this._schedule();
        });
      }
    }
    return this._lines;
  }
  _ended() {
    return this._fromStdin || this._streamEnded;
  }
  _schedule() {
    if (this._scheduled || this.closed) return;
    this._scheduled = true;
    setImmediate(() => {
      this._scheduled = false;
      this._pump();
    });
  }
  _pump() {
    const lines = this._source();
    while (!this.closed && !this._paused && lines.length > 0) {
      if (this._questions.length > 0) {
        const callback = this._questions.shift();
        callback(lines.shift());
      } else if (this.listenerCount("line") > 0 || this._iterating) {
        this.emit("line", lines.shift());
      } else {
        return;
      }
    }
    if (!this.closed && !this._paused && lines.length === 0 && this._ended()) this.close();
  }
  on(name, listener) {
    super.on(name, listener);
    if (name === "line") this._schedule();
    return this;
  }
  question(query, options, callback) {
    if (typeof options === "function") callback = options;
    if (this.closed) {
      const err = codedError(Error, "ERR_USE_AFTER_CLOSE", "readline was closed");
      if (typeof callback === "function") throw err;
      return Promise.reject(err);
    }
    process.stdout.write(query);
    if (typeof callback === "function") {
      this._questions.push(callback);
      this._schedule();
      return undefined;
    }
    return new Promise((resolve) => {
      this._questions.push(resolve);
      this._schedule();
    });
  }
  setPrompt(prompt) {
    this._prompt = prompt;
  }
  getPrompt() {
    return this._prompt;
  }
  prompt() {
    if (this.output) this.output.write(this._prompt);
    this._schedule();
  }
  write(data) {
    if (this.output) this.output.write(data);
  }
  pause() {
    this._paused = true;
    this.emit("pause");
    return this;
  }
  resume() {
    this._paused = false;
    this.emit("resume");
    this._schedule();
    return this;
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.emit("close");
  }
  [Symbol.asyncIterator]() {
    this._iterating = true;
    const queue = [], waiting = [];
    let done = false;
    this.on("line", (line) => {
      if (waiting.length > 0) waiting.shift()({ value: line, done: false });
      else queue.push(line);
    });
    this.once("close", () => {
      done = true;
      for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
    });
    return {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => waiting.push(resolve));
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
const readline = {
  createInterface: (...args) => new Interface(...args),
  Interface,
  clearLine: (stream, dir, callback) => (callback?.(), true),
  clearScreenDown: (stream, callback) => (callback?.(), true),
  cursorTo: (stream, x, y, callback) => (callback?.(), true),
  moveCursor: (stream, dx, dy, callback) => (callback?.(), true),
  emitKeypressEvents() {},
};
const readlinePromises = {
  createInterface: (...args) => new Interface(...args),
  Interface,
};

// ---- os, crypto, string_decoder, timers, small modules ------------------------------------

const os = {
  EOL: "\n",
  platform: () => "wasi",
  type: () => "WASI",
  release: () => "preview1",
  version: () => "WebAssembly sandbox (runno)",
  machine: () => "wasm32",
  arch: () => "wasm32",
  tmpdir: () => "/tmp",
  homedir: () => "/",
  hostname: () => "localhost",
  endianness: () => "LE",
  uptime: () => process.uptime(),
  loadavg: () => [0, 0, 0],
  totalmem: () => 0,
  freemem: () => 0,
  availableParallelism: () => 1,
  cpus: () => [{ model: "wasm32", speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }],
  networkInterfaces: () => ({}),
  userInfo: () => ({ uid: 0, gid: 0, username: "root", homedir: "/", shell: null }),
  constants: { signals: {}, errno: {} },
  devNull: "/dev/null",
};

function randomBytesInto(bytes) {
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}
function getRandomValues(array) {
  if (
    !ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array ||
    array instanceof DataView
  ) {
    throw new TypeError("The data argument must be an integer-type TypedArray");
  }
  if (array.byteLength > 65536) {
    throw new RangeError(
      `The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`,
    );
  }
  randomBytesInto(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return array;
}
function randomUUID() {
  const b = randomBytesInto(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = decodeBytes(b, "hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
const crypto = {
  randomUUID,
  getRandomValues,
  randomBytes(size, callback) {
    const out = toBuffer(randomBytesInto(new Uint8Array(size)));
    if (typeof callback === "function") {
      setImmediate(() => callback(null, out));
      return undefined;
    }
    return out;
  },
  randomInt(min, max, callback) {
    if (max === undefined || typeof max === "function") [min, max, callback] = [0, min, max];
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max <= min) {
      throw codedError(
        RangeError,
        "ERR_OUT_OF_RANGE",
        `The value of "max" is out of range. It must be greater than the value of "min" (${min}). Received ${max}`,
      );
    }
    const value = min + Math.floor(Math.random() * (max - min));
    if (typeof callback === "function") {
      setImmediate(() => callback(null, value));
      return undefined;
    }
    return value;
  },
  webcrypto: { getRandomValues, randomUUID },
  createHash() {
    throw codedError(
      Error,
      "ERR_UNAVAILABLE_IN_SANDBOX",
      "crypto.createHash() is not available in this sandbox: the JavaScript runtime has no hash functions (only randomUUID, randomInt, randomBytes and getRandomValues)",
    );
  },
};
crypto.createHmac = crypto.createHash;
crypto.createCipheriv = crypto.createHash;
globalThis.crypto ??= crypto.webcrypto;

class StringDecoder {
  constructor(encoding = "utf8") {
    this.encoding = normalizeEncoding(encoding);
    this._pending = new Uint8Array(0);
  }
  write(buffer) {
    if (typeof buffer === "string") return buffer;
    let bytes = Buffer.concat([this._pending, buffer]);
    if (this.encoding !== "utf8") {
      this._pending = new Uint8Array(0);
      return decodeBytes(bytes, this.encoding);
    }
    // Keep an incomplete UTF-8 sequence at the end for the next write.
    let cut = bytes.length;
    for (let i = Math.max(0, bytes.length - 3); i < bytes.length; i++) {
      const b = bytes[i];
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > 1 && i + need > bytes.length) {
        cut = i;
        break;
      }
    }
    this._pending = bytes.slice(cut);
    return decodeBytes(bytes.subarray(0, cut), "utf8");
  }
  end(buffer) {
    const text = buffer ? this.write(buffer) : "";
    const rest = this._pending.length ? decodeBytes(this._pending, this.encoding) : "";
    this._pending = new Uint8Array(0);
    return text + rest;
  }
}

const timers = {
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval: clearTimeout,
  setImmediate,
  clearImmediate,
};
const timersPromises = {
  setTimeout: (delay, value) => new Promise((resolve) => setTimeout(resolve, delay, value)),
  setImmediate: (value) => new Promise((resolve) => setImmediate(resolve, value)),
  async *setInterval(delay, value) {
    for (;;) yield await new Promise((resolve) => setTimeout(resolve, delay, value));
  },
  scheduler: {
    wait: (delay) => new Promise((resolve) => setTimeout(resolve, delay)),
    yield: () => new Promise((resolve) => setImmediate(resolve)),
  },
};

const performance = globalThis.performance ?? {
  timeOrigin: startTime,
  now: () => Date.now() - startTime,
  mark() {},
  measure() {},
};

// ---- require ---------------------------------------------------------------------------------

const UNAVAILABLE = {
  http: "there is no network",
  https: "there is no network",
  http2: "there is no network",
  net: "there is no network",
  tls: "there is no network",
  dgram: "there is no network",
  dns: "there is no network",
  "dns/promises": "there is no network",
  child_process: "there are no other processes to start",
  cluster: "there are no other processes to start",
  worker_threads: "there are no threads",
  inspector: "there is no debugger",
  vm: "there is no separate JavaScript context",
  v8: "the engine is QuickJS, not V8",
  repl: "there is no terminal",
  tty: "there is no terminal",
  zlib: "there is no compression library in this runtime",
  async_hooks: "the engine has no async hooks",
  perf_hooks: "the engine has no performance hooks beyond performance.now()",
  diagnostics_channel: "the engine has no diagnostics channels",
  trace_events: "the engine has no tracing",
  wasi: "the program already runs under WASI",
  sqlite: "there is no SQLite binding in this runtime (use the sqlite runtime)",
  stream:
    "streams are not implemented in this runtime (use fs.readFileSync/writeFileSync or readline)",
  "stream/promises": "streams are not implemented in this runtime",
  url: null,
  querystring: null,
};

function makeUnavailable(name) {
  const reason = UNAVAILABLE[name];
  const err = new Error(`Cannot use module '${name}' in this sandbox: ${reason}`);
  err.code = "ERR_UNAVAILABLE_IN_SANDBOX";
  return err;
}

function querystringParse(str, sep = "&", eq = "=") {
  const out = Object.create(null);
  if (typeof str !== "string" || str.length === 0) return out;
  for (const part of str.split(sep)) {
    if (!part) continue;
    const i = part.indexOf(eq);
    const key = decodeURIComponent((i >= 0 ? part.slice(0, i) : part).replace(/\+/g, " "));
    const value = i >= 0 ? decodeURIComponent(part.slice(i + 1).replace(/\+/g, " ")) : "";
    if (key in out) out[key] = [].concat(out[key], value);
    else out[key] = value;
  }
  return out;
}
function querystringStringify(obj, sep = "&", eq = "=") {
  return Object.entries(obj ?? {}).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x) =>
      `${encodeURIComponent(k)}${eq}${encodeURIComponent(x ?? "")}`
    )
  ).join(sep);
}

const BUILTIN_FACTORIES = {
  assert: () => assert,
  "assert/strict": () => assert.strict,
  buffer: () => ({
    Buffer,
    constants: { MAX_LENGTH: 2 ** 31 - 1, MAX_STRING_LENGTH: 2 ** 29 - 24 },
    kMaxLength: 2 ** 31 - 1,
    atob: globalThis.atob,
    btoa: globalThis.btoa,
  }),
  console: () => globalThis.console,
  crypto: () => crypto,
  events: () => EventEmitter,
  fs: () => fs,
  "fs/promises": () => promises,
  os: () => os,
  path: () => path,
  "path/posix": () => path,
  process: () => process,
  readline: () => readline,
  "readline/promises": () => readlinePromises,
  string_decoder: () => ({ StringDecoder }),
  timers: () => timers,
  "timers/promises": () => timersPromises,
  util: () => util,
  "util/types": () => types,
  querystring: () => ({
    parse: querystringParse,
    stringify: querystringStringify,
    decode: querystringParse,
    encode: querystringStringify,
    escape: encodeURIComponent,
    unescape: decodeURIComponent,
  }),
  url: () => ({
    URL: globalThis.URL,
    URLSearchParams: globalThis.URLSearchParams,
    fileURLToPath: (u) => new URL(u).pathname,
    pathToFileURL: (p) => new URL(`file://${path.resolve(p)}`),
  }),
  module: () => ({
    createRequire: (filename) =>
      makeRequire({ filename: String(filename).replace(/^file:\/\//, ""), id: filename }),
    builtinModules: [...BUILTINS],
  }),
  perf_hooks: () => ({ performance }),
};
for (const name of Object.keys(UNAVAILABLE)) {
  if (UNAVAILABLE[name] === null) delete UNAVAILABLE[name];
}
const BUILTINS = new Set([...Object.keys(BUILTIN_FACTORIES), ...Object.keys(UNAVAILABLE)]);
const builtinCache = new Map();

function loadBuiltin(name) {
  if (UNAVAILABLE[name] !== undefined && !(name in BUILTIN_FACTORIES)) throw makeUnavailable(name);
  if (!builtinCache.has(name)) builtinCache.set(name, BUILTIN_FACTORIES[name]());
  return builtinCache.get(name);
}

class Module {
  constructor(id, parent) {
    this.id = id;
    this.path = path.dirname(id);
    this.exports = {};
    this.filename = id;
    this.loaded = false;
    this.children = [];
    this.paths = ["/node_modules"];
    this.parent = parent;
  }
}
const moduleCache = Object.create(null);
let mainModule;

function isFile(p) {
  try {
    return binding.statSync(p).is_file;
  } catch {
    return false;
  }
}

function resolveFile(request, fromDir) {
  const base = path.resolve(fromDir, request);
  for (const candidate of [base, `${base}.js`, `${base}.json`, `${base}.cjs`, `${base}.mjs`]) {
    if (isFile(candidate)) return candidate;
  }
  const pkg = `${base}/package.json`;
  if (isFile(pkg)) {
    try {
      const main = JSON.parse(std.loadFile(pkg)).main;
      if (main) {
        const found = resolveFile(`./${main}`, base);
        if (found) return found;
      }
    } catch {
      // A package.json that does not parse names no main: fall through to index.js.
    }
  }
  for (const candidate of [`${base}/index.js`, `${base}/index.json`, `${base}/index.cjs`]) {
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

function notFound(request, parent) {
  const stack = [];
  for (let m = parent; m; m = m.parent) stack.push(m.filename);
  const bare = !request.startsWith(".") && !request.startsWith("/");
  let message = `Cannot find module '${request}'\nRequire stack:\n${
    stack.map((f) => `- ${f}`).join("\n")
  }`;
  if (bare) {
    message +=
      "\nnpm packages cannot be installed in this sandbox: only Node's built-in modules and the program's own files can be required";
  }
  const err = new Error(message);
  err.code = "MODULE_NOT_FOUND";
  err.requireStack = stack;
  return err;
}

function requireFrom(parent, request) {
  validateString(request, "id");
  if (request === "") {
    throw codedError(
      TypeError,
      "ERR_INVALID_ARG_VALUE",
      "The argument 'id' must be a non-empty string. Received ''",
    );
  }
  const name = request.startsWith("node:") ? request.slice(5) : request;
  if (BUILTINS.has(name)) return loadBuiltin(name);
  if (request.startsWith("node:")) {
    const err = codedError(
      Error,
      "ERR_UNKNOWN_BUILTIN_MODULE",
      `No such built-in module: ${request}`,
    );
    throw err;
  }
  const filename = resolveModule(request, parent);
  const cached = moduleCache[filename];
  if (cached) return cached.exports;
  const module = new Module(filename, parent);
  parent?.children.push(module);
  moduleCache[filename] = module;
  try {
    loadModule(module);
  } catch (err) {
    delete moduleCache[filename];
    throw err;
  }
  return module.exports;
}

function resolveModule(request, parent) {
  const fromDir = parent ? path.dirname(parent.filename) : "/";
  const isPath = request.startsWith("./") || request.startsWith("../") || request.startsWith("/") ||
    request === "." || request === "..";
  const filename = isPath ? resolveFile(request, fromDir) : undefined;
  if (filename === undefined) throw notFound(request, parent);
  return filename;
}

function loadModule(module) {
  const source = std.loadFile(module.filename);
  if (source === null) throw notFound(module.filename, module.parent);
  if (module.filename.endsWith(".json")) {
    try {
      module.exports = JSON.parse(source);
    } catch (err) {
      err.message = `${module.filename}: ${err.message}`;
      throw err;
    }
  } else if (module.filename.endsWith(".mjs")) {
    const err = codedError(
      Error,
      "ERR_REQUIRE_ESM",
      `require() of ES Module ${module.filename} not supported.\nInstead change the require of ${module.filename} to a dynamic import() which is available in all CommonJS modules.`,
    );
    throw err;
  } else {
    const fn = compileCommonJS(source, module.filename, evalModules.length);
    fn.call(
      module.exports,
      module.exports,
      makeRequire(module),
      module,
      module.filename,
      path.dirname(module.filename),
    );
  }
  module.loaded = true;
}

const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) {";
const ASYNC_WRAPPER_HEAD = "(async function (exports, require, module, __filename, __dirname) {";

// Node's CommonJS wrapper: the source goes on the wrapper's first line, so its line numbers
// are the file's own. A hashbang line becomes a comment of the same length.
function compileCommonJS(source, filename, index, allowAsync = false) {
  const body = markFloatingCalls(source.startsWith("#!") ? `//${source.slice(2)}` : source);
  const pad = "\n".repeat(index * LINES_PER_MODULE);
  evalModules[index] = filename;
  // The outer function hands the wrapper the floating-promise handler as a closure, so the
  // wrapper keeps Node's five parameters and everything stays on line 1.
  const compile = (head) =>
    std.evalScript(`${pad}(function (${FLOATING}) { return ${head}${body}\n}) })`)(
      floatingRejected,
    );
  try {
    return compile(WRAPPER_HEAD);
  } catch (err) {
    // `await` at the top level does not compile in a function; Node 22 would run such a file
    // as a module, so run it in an async function, where it means the same.
    if (allowAsync && err instanceof SyntaxError && /\bawait\b/.test(body)) {
      let fn;
      try {
        fn = compile(ASYNC_WRAPPER_HEAD);
      } catch {
        throw err;
      }
      fn.isAsync = true;
      return fn;
    }
    throw err;
  }
}

// Unhandled rejections. This QuickJS gives scripts no rejection-tracking hook, so the common
// way a program loses a rejection, a call statement whose promise nobody keeps (`main();`,
// `(async () => { ... })();`), is marked where it stands: the line gets
// `?.then?.(undefined, handler)` appended, which leaves a non-promise alone and reports a
// rejection as Node would. Only whole lines of code qualify (not inside a string, template or
// comment), and only when the statement ends on that line.
const FLOATING = "__runno_floating";
const MARK = `?.then?.(undefined, ${FLOATING})`;
const RESERVED = new Set([
  "await",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "export",
  "extends",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "let",
  "new",
  "return",
  "super",
  "switch",
  "this",
  "throw",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "yield",
  "async",
  "static",
  "get",
  "set",
]);

function floatingRejected(reason) {
  handleRejection(reason);
}

function markFloatingCalls(source) {
  if (!source.includes("(")) return source;
  const lines = source.split("\n");
  const inCode = lineStates(source, lines.length);
  for (let i = 0; i < lines.length; i++) {
    if (!inCode[i] || !inCode[i + 1]) continue;
    const line = lines[i];
    const match = /^(\s*)(.*?)(;?)(\s*)$/.exec(line);
    const statement = match[2];
    if (!/^[A-Za-z_$][\w$]*(\s*\.\s*[A-Za-z_$][\w$]*)*\s*\(|^\}\)\(\)$/.test(statement)) continue;
    if (RESERVED.has(/^[A-Za-z_$][\w$]*/.exec(statement)?.[0])) continue;
    if (statement !== "})()" && !isWholeCall(statement)) continue;
    if (match[3] === "" && continuesOnNextLine(lines, i)) continue;
    if (continuesFromPreviousLine(lines, i)) continue;
    lines[i] = `${match[1]}${statement}${MARK}${match[3]}${match[4]}`;
  }
  return lines.join("\n");
}

// A call chain with nothing beside it at depth 0: names, dots and bracketed arguments.
function isWholeCall(statement) {
  let depth = 0;
  let quote = null;
  for (let i = 0; i < statement.length; i++) {
    const ch = statement[i];
    if (quote !== null) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      if (depth === 0) return false;
      quote = ch;
    } else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth < 0) return false;
    } else if (depth === 0 && !/[\w$.\s]/.test(ch)) return false;
  }
  return depth === 0 && quote === null && statement.endsWith(")");
}

function continuesOnNextLine(lines, i) {
  for (let j = i + 1; j < lines.length; j++) {
    const next = lines[j].trim();
    if (next === "" || next.startsWith("//")) continue;
    return /^[.([?:+\-*/%&|^,=<>`{)\]]/.test(next);
  }
  return false;
}

// A line that completes an expression begun above (`const x =`, an argument list, an arrow
// body) is not a statement of its own: its value is used.
function continuesFromPreviousLine(lines, i) {
  for (let j = i - 1; j >= 0; j--) {
    const previous = lines[j].replace(/\/\/.*$/, "").trim();
    if (previous === "") continue;
    return /[=(,[:?+\-*/%&|^<>!~]$/.test(previous) ||
      /(^|[^\w$])(return|await|yield|typeof|void|new|in|of|delete|throw|case|else\s+return)$/.test(
        previous,
      );
  }
  return false;
}

// For each line, whether it starts in code (not inside a string, template, comment or regexp).
function lineStates(source, count) {
  const states = new Array(count + 1).fill(false);
  let line = 0;
  let mode = "code";
  const templates = []; // brace depth at each open `${`
  let braces = 0;
  let last = ""; // the last significant character in code, to tell a regexp from a division
  states[0] = true;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === "\n") {
      line++;
      if (mode === "line-comment") mode = "code";
      states[line] = mode === "code";
      continue;
    }
    switch (mode) {
      case "code":
        if (ch === "/" && next === "/") {
          mode = "line-comment";
          i++;
        } else if (ch === "/" && next === "*") {
          mode = "block-comment";
          i++;
        } else if (ch === "'" || ch === '"') mode = ch;
        else if (ch === "`") mode = "template";
        else if (ch === "/" && (last === "" || /[(,=:[!&|?{};+\-*%<>~^]/.test(last))) {
          mode = "regexp";
        } else if (ch === "{") braces++;
        else if (ch === "}") {
          if (templates.length > 0 && templates[templates.length - 1] === braces) {
            templates.pop();
            mode = "template";
            continue;
          }
          braces--;
        }
        if (!/\s/.test(ch)) last = ch;
        break;
      case "'":
      case '"':
        if (ch === "\\") i++;
        else if (ch === mode) {
          mode = "code";
          last = ch;
        }
        break;
      case "template":
        if (ch === "\\") i++;
        else if (ch === "`") {
          mode = "code";
          last = ch;
        } else if (ch === "$" && next === "{") {
          templates.push(braces);
          mode = "code";
          last = "{";
          i++;
        }
        break;
      case "regexp":
        if (ch === "\\") i++;
        else if (ch === "[") mode = "regexp-class";
        else if (ch === "/") {
          mode = "code";
          last = "/";
        }
        break;
      case "regexp-class":
        if (ch === "\\") i++;
        else if (ch === "]") mode = "regexp";
        break;
      case "block-comment":
        if (ch === "*" && next === "/") {
          mode = "code";
          i++;
        }
        break;
    }
  }
  states[count] = true;
  return states;
}

function makeRequire(module) {
  function require(id) {
    return requireFrom(module, id);
  }
  require.resolve = (request) => {
    const name = request.startsWith("node:") ? request.slice(5) : request;
    if (BUILTINS.has(name)) return request;
    return resolveModule(request, module);
  };
  require.resolve.paths = () => ["/node_modules"];
  require.cache = moduleCache;
  require.main = mainModule;
  require.extensions = Object.create(null);
  return require;
}

// ---- globals and the entry ------------------------------------------------------------------

const consoleObject = makeConsole((text) => std.out.puts(text), (text) => {
  std.out.flush();
  std.err.puts(text);
  std.err.flush();
});

export function installGlobals() {
  const globals = {
    console: consoleObject,
    process,
    Buffer,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval: clearTimeout,
    setImmediate,
    clearImmediate,
    performance,
  };
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  globalThis.atob ??= (data) => decodeBytes(encodeString(String(data), "base64"), "latin1");
  globalThis.btoa ??= (data) => decodeBytes(encodeString(String(data), "latin1"), "base64");
  // wasmedge-quickjs globals that would shadow or contradict Node's (`__dirname` in an ES
  // module, a bare `exit` or `nextTick`). `print` and `args` stay for programs written for
  // this runtime before the prelude; `__date_clock` is the engine's own.
  for (const name of ["env", "exit", "nextTick", "__loadScript", "__dirname"]) {
    try {
      delete globalThis[name];
    } catch {
      // A non-configurable global stays.
    }
  }
}

// An ES module: a .mjs entry, or one with import/export statements at the start of a line.
export function isModuleSource(filename, source) {
  if (filename.endsWith(".mjs")) return true;
  if (filename.endsWith(".cjs")) return false;
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return /^\s*(import\s+[\w$*{]|import\s*[{*"']|export\s+[\w$*{]|export\s*[{*])/m.test(code) ||
    /^\s*import\.meta\b/m.test(code);
}

export function runEntry(entry, argv) {
  process.argv = ["/usr/local/bin/node", entry, ...argv];
  process.mainModule = undefined;
  let source;
  try {
    source = std.loadFile(entry);
  } catch {
    source = null;
  }
  if (source === null) {
    const err = notFound(entry, undefined);
    printUncaught(err);
    exitNow(1);
    return;
  }
  if (isModuleSource(entry, source)) {
    globalThis.require = makeRequire({ filename: entry, id: entry, children: [] });
    import(entry).then(maybeFinish, handleRejection);
    return;
  }
  const module = new Module(entry, null);
  module.id = ".";
  mainModule = module;
  process.mainModule = module;
  moduleCache[entry] = module;
  let fn;
  try {
    fn = compileCommonJS(source, entry, 0, true);
  } catch (err) {
    handleUncaught(err);
    return;
  }
  try {
    const result = fn.call(
      module.exports,
      module.exports,
      makeRequire(module),
      module,
      entry,
      path.dirname(entry),
    );
    module.loaded = true;
    if (fn.isAsync) result.then(maybeFinish, handleRejection);
    else maybeFinish();
  } catch (err) {
    handleUncaught(err);
  }
}

export { EventEmitter, handleRejection, process };
