// deno-lint-ignore-file
// ES2022-ES2024 built-ins this QuickJS (2021, ES2020) lacks, written to the spec's steps where
// a program could tell the difference: non-enumerable, the spec's .length and .name, the same
// errors for the same misuse. Loaded by quickjs_main.js before it opens the program, so it is in
// the snapshot and costs nothing per run.
import * as encoding from "_encoding";

function define(target, methods) {
  for (const [name, value] of Object.entries(methods)) {
    if (Object.prototype.hasOwnProperty.call(target, name)) continue;
    Object.defineProperty(target, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}

// Spec helpers, named as the spec names them.
function toIntegerOrInfinity(value) {
  const n = Number(value);
  if (Number.isNaN(n) || n === 0) return 0;
  if (!Number.isFinite(n)) return n;
  return Math.trunc(n);
}
function toObject(value, method) {
  if (value === null || value === undefined) {
    throw new TypeError(`${method} called on null or undefined`);
  }
  return Object(value);
}
function lengthOf(object) {
  const n = toIntegerOrInfinity(object.length);
  return n <= 0 ? 0 : Math.min(n, Number.MAX_SAFE_INTEGER);
}
function callable(fn, what) {
  if (typeof fn !== "function") throw new TypeError(`${String(fn)} is not a function`);
  return fn;
}
function relativeIndex(index, length) {
  const relative = toIntegerOrInfinity(index);
  return relative >= 0 ? relative : length + relative;
}
function compareDefault(x, y) {
  if (x === undefined) return y === undefined ? 0 : 1;
  if (y === undefined) return -1;
  const a = String(x), b = String(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

// A method's .name is the key it is defined under; object-literal methods get that for free.
const arrayMethods = {
  at(index) {
    const o = toObject(this, "Array.prototype.at");
    const len = lengthOf(o);
    const k = relativeIndex(index, len);
    return k < 0 || k >= len ? undefined : o[k];
  },
  findLast(predicate, thisArg = undefined) {
    const o = toObject(this, "Array.prototype.findLast");
    callable(predicate);
    for (let k = lengthOf(o) - 1; k >= 0; k--) {
      if (predicate.call(thisArg, o[k], k, o)) return o[k];
    }
    return undefined;
  },
  findLastIndex(predicate, thisArg = undefined) {
    const o = toObject(this, "Array.prototype.findLastIndex");
    callable(predicate);
    for (let k = lengthOf(o) - 1; k >= 0; k--) {
      if (predicate.call(thisArg, o[k], k, o)) return k;
    }
    return -1;
  },
  toReversed() {
    const o = toObject(this, "Array.prototype.toReversed");
    const len = lengthOf(o);
    const a = new Array(len);
    for (let k = 0; k < len; k++) a[k] = o[len - 1 - k];
    return a;
  },
  toSorted(comparefn) {
    if (comparefn !== undefined) callable(comparefn);
    const o = toObject(this, "Array.prototype.toSorted");
    const len = lengthOf(o);
    const a = new Array(len);
    for (let k = 0; k < len; k++) a[k] = o[k];
    return a.sort(comparefn);
  },
  toSpliced(start, skipCount, ...items) {
    const o = toObject(this, "Array.prototype.toSpliced");
    const len = lengthOf(o);
    const rel = toIntegerOrInfinity(start);
    const actualStart = rel < 0 ? Math.max(len + rel, 0) : Math.min(rel, len);
    let skip;
    if (arguments.length === 0) skip = 0;
    else if (arguments.length === 1) skip = len - actualStart;
    else skip = Math.min(Math.max(toIntegerOrInfinity(skipCount), 0), len - actualStart);
    const newLen = len + items.length - skip;
    if (newLen > Number.MAX_SAFE_INTEGER) throw new TypeError("Invalid array length");
    const a = [];
    for (let k = 0; k < actualStart; k++) a.push(o[k]);
    for (const item of items) a.push(item);
    for (let k = actualStart + skip; k < len; k++) a.push(o[k]);
    return a;
  },
  with(index, value) {
    const o = toObject(this, "Array.prototype.with");
    const len = lengthOf(o);
    const k = relativeIndex(index, len);
    if (k < 0 || k >= len) throw new RangeError("Invalid index : " + index);
    const a = new Array(len);
    for (let i = 0; i < len; i++) a[i] = i === k ? value : o[i];
    return a;
  },
};
define(Array.prototype, arrayMethods);
// Array.prototype[Symbol.unscopables] lists the ES2022+ methods too.
Object.assign(Array.prototype[Symbol.unscopables], {
  at: true,
  findLast: true,
  findLastIndex: true,
  toReversed: true,
  toSorted: true,
  toSpliced: true,
});

// %TypedArray%: the shared prototype of Uint8Array and the rest.
const TypedArray = Object.getPrototypeOf(Uint8Array);
const typedArrayLength = Object.getOwnPropertyDescriptor(TypedArray.prototype, "length").get;
function typedLength(ta) {
  return typedArrayLength.call(ta); // throws the engine's TypeError for a non-typed-array
}
function typedSame(ta, len) {
  return new ta.constructor(len);
}
define(TypedArray.prototype, {
  at(index) {
    const len = typedLength(this);
    const k = relativeIndex(index, len);
    return k < 0 || k >= len ? undefined : this[k];
  },
  findLast(predicate, thisArg = undefined) {
    callable(predicate);
    for (let k = typedLength(this) - 1; k >= 0; k--) {
      if (predicate.call(thisArg, this[k], k, this)) return this[k];
    }
    return undefined;
  },
  findLastIndex(predicate, thisArg = undefined) {
    callable(predicate);
    for (let k = typedLength(this) - 1; k >= 0; k--) {
      if (predicate.call(thisArg, this[k], k, this)) return k;
    }
    return -1;
  },
  toReversed() {
    const len = typedLength(this);
    const a = typedSame(this, len);
    for (let k = 0; k < len; k++) a[k] = this[len - 1 - k];
    return a;
  },
  toSorted(comparefn) {
    if (comparefn !== undefined) callable(comparefn);
    const a = typedSame(this, typedLength(this));
    a.set(this);
    return a.sort(comparefn);
  },
  with(index, value) {
    const len = typedLength(this);
    const k = relativeIndex(index, len);
    const v = this instanceof BigInt64Array || this instanceof BigUint64Array
      ? BigInt(value)
      : Number(value);
    if (k < 0 || k >= len) throw new RangeError("Invalid typed array index");
    const a = typedSame(this, len);
    a.set(this);
    a[k] = v;
    return a;
  },
});

define(String.prototype, {
  at(index) {
    const s = String(toObject(this, "String.prototype.at"));
    const k = relativeIndex(index, s.length);
    return k < 0 || k >= s.length ? undefined : s[k];
  },
  isWellFormed() {
    const s = String(toObject(this, "String.prototype.isWellFormed"));
    return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
  },
  toWellFormed() {
    const s = String(toObject(this, "String.prototype.toWellFormed"));
    return s.replace(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      "\uFFFD",
    );
  },
});
if (!String.prototype.replaceAll) {
  define(String.prototype, {
    replaceAll(search, replacement) {
      if (search instanceof RegExp) {
        if (!search.global) throw new TypeError("replaceAll must be called with a global RegExp");
        return this.replace(search, replacement);
      }
      return String(this).split(String(search)).join(replacement);
    },
  });
}

define(Object, {
  hasOwn(object, key) {
    return Object.prototype.hasOwnProperty.call(toObject(object, "Object.hasOwn"), key);
  },
  groupBy(items, callback) {
    callable(callback);
    const groups = Object.create(null);
    let k = 0;
    for (const value of items) {
      const key = callback(value, k++);
      const name = typeof key === "symbol" ? key : String(key);
      (groups[name] ??= []).push(value);
    }
    return groups;
  },
});
define(Map, {
  groupBy(items, callback) {
    callable(callback);
    const groups = new Map();
    let k = 0;
    for (const value of items) {
      let key = callback(value, k++);
      if (Object.is(key, -0)) key = 0;
      const group = groups.get(key);
      if (group) group.push(value);
      else groups.set(key, [value]);
    }
    return groups;
  },
});
define(Promise, {
  withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  },
});
define(Array, {
  async fromAsync(items, mapfn = undefined, thisArg = undefined) {
    if (mapfn !== undefined) callable(mapfn);
    const out = [];
    let k = 0;
    if (items[Symbol.asyncIterator] || items[Symbol.iterator]) {
      const iterable = items[Symbol.asyncIterator] ? items : (async function* () {
        for (const item of items) yield await item;
      })();
      for await (const value of iterable) {
        out.push(mapfn ? await mapfn.call(thisArg, value, k) : value);
        k++;
      }
      return out;
    }
    const o = Object(items);
    for (const len = lengthOf(o); k < len; k++) {
      const value = await o[k];
      out.push(mapfn ? await mapfn.call(thisArg, value, k) : value);
    }
    return out;
  },
});

// Set methods (ES2025, in Node 22): the argument is "set-like" (size, has, keys).
function setRecord(other) {
  if (other === null || typeof other !== "object" && typeof other !== "function") {
    throw new TypeError("The argument must be set-like");
  }
  const size = Number(other.size);
  if (Number.isNaN(size)) throw new TypeError("The 'size' property must be a number");
  const has = callable(other.has), keys = callable(other.keys);
  return {
    size: toIntegerOrInfinity(size),
    has: (v) => has.call(other, v),
    keys: () => keys.call(other),
  };
}
function iterate(iterator, fn) {
  for (let step = iterator.next(); !step.done; step = iterator.next()) {
    if (fn(step.value) === false) {
      iterator.return?.();
      return false;
    }
  }
  return true;
}
define(Set.prototype, {
  union(other) {
    const o = setRecord(other), out = new Set(this);
    iterate(o.keys(), (v) => void out.add(v));
    return out;
  },
  intersection(other) {
    const o = setRecord(other), out = new Set();
    if (this.size <= o.size) { for (const v of this) o.has(v) && out.add(v); }
    else iterate(o.keys(), (v) => void (this.has(v) && out.add(v)));
    return out;
  },
  difference(other) {
    const o = setRecord(other), out = new Set(this);
    if (this.size <= o.size) { for (const v of this) o.has(v) && out.delete(v); }
    else iterate(o.keys(), (v) => void out.delete(v));
    return out;
  },
  symmetricDifference(other) {
    const o = setRecord(other), out = new Set(this);
    iterate(o.keys(), (v) => void (this.has(v) ? out.delete(v) : out.add(v)));
    return out;
  },
  isSubsetOf(other) {
    const o = setRecord(other);
    if (this.size > o.size) return false;
    for (const v of this) if (!o.has(v)) return false;
    return true;
  },
  isSupersetOf(other) {
    const o = setRecord(other);
    if (this.size < o.size) return false;
    return iterate(o.keys(), (v) => this.has(v));
  },
  isDisjointFrom(other) {
    const o = setRecord(other);
    if (this.size <= o.size) {
      for (const v of this) if (o.has(v)) return false;
      return true;
    }
    return iterate(o.keys(), (v) => !this.has(v));
  },
});

// V8 (so Node) formats a stack on first read: "Name: message" then the frames, so a name set
// in a subclass constructor shows. The engine's frames are rewritten by the hook the module
// loader installs (file names for evalScript'd modules, the prelude's own frames dropped).
export const stackHooks = { rewrite: (stack) => stack };
function lazyStack(error, frames) {
  let value;
  Object.defineProperty(error, "stack", {
    get() {
      if (value === undefined) {
        let header;
        try {
          header = Error.prototype.toString.call(this);
        } catch {
          header = "Error";
        }
        value = `${header}\n${stackHooks.rewrite(frames).replace(/\n$/, "")}`;
      }
      return value;
    },
    set(v) {
      value = v;
    },
    configurable: true,
    enumerable: false,
  });
}

// Error `cause` (ES2022). The constructors are replaced by functions sharing their prototypes, so
// errors the engine throws are still `instanceof` them and subclasses keep their own prototype.
// The replacement's own frame is cut from the stack, which then starts where the program
// called `new Error`.
function installCause(name, takesErrors) {
  const Native = globalThis[name];
  const Wrapped = {
    [name]: function (...args) {
      const error = Reflect.construct(Native, args, new.target ?? Wrapped);
      const options = args[takesErrors ? 2 : 1];
      if (options !== null && typeof options === "object" && "cause" in options) {
        Object.defineProperty(error, "cause", {
          value: options.cause,
          writable: true,
          configurable: true,
          enumerable: false,
        });
      }
      if (typeof error.stack === "string") {
        lazyStack(error, error.stack.slice(error.stack.indexOf("\n") + 1));
      }
      return error;
    },
  }[name];
  Object.defineProperty(Wrapped, "length", { value: Native.length });
  Object.defineProperty(Wrapped, "prototype", { value: Native.prototype, writable: false });
  Object.defineProperty(Native.prototype, "constructor", {
    value: Wrapped,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  if (name !== "Error") Object.setPrototypeOf(Wrapped, globalThis.Error);
  Object.defineProperty(globalThis, name, {
    value: Wrapped,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
const NativeError = Error;
installCause("Error", false);
for (
  const name of [
    "EvalError",
    "RangeError",
    "ReferenceError",
    "SyntaxError",
    "TypeError",
    "URIError",
    "InternalError",
  ]
) {
  installCause(name, false);
}
installCause("AggregateError", true);
// Node's V8 has captureStackTrace; libraries call it on their own errors.
define(Error, {
  captureStackTrace(target) {
    const raw = new NativeError().stack ?? "";
    lazyStack(target, raw.slice(raw.indexOf("\n") + 1));
  },
});
Error.stackTraceLimit = 10;

// TextEncoder / TextDecoder: UTF-8 only, through wasmedge-quickjs's _encoding module.
class TextEncoder {
  get encoding() {
    return "utf-8";
  }
  encode(input = "") {
    return new Uint8Array(encoding.text_encode(String(input).toWellFormed(), "utf-8"));
  }
  encodeInto(source, destination) {
    const bytes = this.encode(source);
    let read = 0, written = 0;
    // Whole characters only: count code points whose bytes fit.
    for (const ch of String(source)) {
      const size = this.encode(ch).length;
      if (written + size > destination.length) break;
      destination.set(bytes.subarray(written, written + size), written);
      written += size;
      read += ch.length;
    }
    return { read, written };
  }
}
const UTF8_LABELS = new Set(["utf-8", "utf8", "unicode-1-1-utf-8"]);
class TextDecoder {
  #fatal;
  #ignoreBOM;
  constructor(label = "utf-8", options = {}) {
    if (!UTF8_LABELS.has(String(label).trim().toLowerCase())) {
      throw new RangeError(`The "${label}" encoding is not supported`);
    }
    this.#fatal = Boolean(options.fatal);
    this.#ignoreBOM = Boolean(options.ignoreBOM);
  }
  get encoding() {
    return "utf-8";
  }
  get fatal() {
    return this.#fatal;
  }
  get ignoreBOM() {
    return this.#ignoreBOM;
  }
  decode(input = new Uint8Array(0)) {
    let bytes;
    if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
    else if (ArrayBuffer.isView(input)) {
      bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    } else {throw new TypeError(
        'The "input" argument must be an instance of ArrayBuffer or ArrayBufferView',
      );}
    if (!this.#ignoreBOM && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
    }
    const copy = bytes.slice().buffer;
    const text = encoding.text_decode(copy, "utf-8", this.#fatal);
    if (typeof text !== "string") {
      throw new TypeError("The encoded data was not valid for encoding utf-8");
    }
    return text;
  }
}
define(globalThis, { TextEncoder, TextDecoder });

// structuredClone: the HTML structured clone algorithm for the types programs pass it.
function DataCloneError(message) {
  const error = new Error(message);
  error.name = "DataCloneError";
  error.code = 25;
  return error;
}
function structuredClone(value, options = undefined) {
  const seen = new Map();
  function clone(v) {
    if (typeof v === "function") {
      throw DataCloneError(`${v.toString().split("\n")[0]} could not be cloned.`);
    }
    if (typeof v === "symbol") throw DataCloneError(`${String(v)} could not be cloned.`);
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) return seen.get(v);
    let out;
    const tag = Object.prototype.toString.call(v);
    if (v instanceof Date) out = new Date(v.getTime());
    else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (ArrayBuffer.isView(v)) {
      const buffer = clone(v.buffer);
      out = v instanceof DataView
        ? new DataView(buffer, v.byteOffset, v.byteLength)
        : new v.constructor(buffer, v.byteOffset, v.length);
    } else if (v instanceof Map) {
      out = new Map();
      seen.set(v, out);
      for (const [k, x] of v) out.set(clone(k), clone(x));
      return out;
    } else if (v instanceof Set) {
      out = new Set();
      seen.set(v, out);
      for (const x of v) out.add(clone(x));
      return out;
    } else if (v instanceof Error) {
      const Ctor = globalThis[v.name] && globalThis[v.name].prototype instanceof Error
        ? globalThis[v.name]
        : Error;
      out = new Ctor(v.message);
      seen.set(v, out);
      if (v.stack !== undefined) {
        Object.defineProperty(out, "stack", { value: v.stack, writable: true, configurable: true });
      }
      if ("cause" in v) {
        Object.defineProperty(out, "cause", {
          value: clone(v.cause),
          writable: true,
          configurable: true,
        });
      }
      return out;
    } else if (
      tag === "[object Boolean]" || tag === "[object Number]" || tag === "[object String]"
    ) {
      out = Object(v.valueOf());
    } else if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) {
      throw DataCloneError(`${tag.slice(8, -1)} object could not be cloned.`);
    } else if (Array.isArray(v)) {
      out = new Array(v.length);
      seen.set(v, out);
      for (const key of Object.keys(v)) out[key] = clone(v[key]);
      return out;
    } else {
      out = {};
      seen.set(v, out);
      for (const key of Object.keys(v)) out[key] = clone(v[key]);
      return out;
    }
    seen.set(v, out);
    return out;
  }
  if (arguments.length === 0) throw new TypeError('The "value" argument must be specified');
  return clone(value);
}
define(globalThis, { structuredClone });

// Timers and tasks: the engine has setTimeout, setImmediate and nextTick (as globals); Node's
// setInterval, queueMicrotask and the timer objects' ref/unref are built on them.
define(globalThis, {
  queueMicrotask(callback) {
    callable(callback);
    Promise.resolve().then(() => callback());
  },
});
define(globalThis, { global: globalThis });

// String.prototype.localeCompare and Number.prototype.toLocaleString as Node's ICU does them
// for "en-US", the only locale here (QuickJS compares code units and ignores locales). Sorting
// follows the Unicode collation's shape: punctuation, then digits, then letters; letters by base
// letter ignoring case and accents first, then unaccented before accented, then lower case
// before upper case.
function collationKey(ch) {
  const base = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const lower = base.toLowerCase();
  const code = lower.codePointAt(0) ?? 0;
  let group;
  if (/\s/.test(ch)) group = 0;
  else if (/[0-9]/.test(lower)) group = 2;
  else if (lower.toUpperCase() !== lower || code > 0x2fff) group = 3;
  else group = 1;
  return {
    group,
    primary: code,
    accent: base !== ch ? 1 : 0,
    upper: ch !== ch.toLowerCase() ? 1 : 0,
  };
}
function compareRuns(a, b, options) {
  const numeric = Boolean(options?.numeric);
  const sensitivity = options?.sensitivity ?? "variant";
  const tokens = (s) => (numeric ? s.match(/\d+|\D/gu) ?? [] : [...s]);
  const ta = tokens(a), tb = tokens(b);
  let secondary = 0, tertiary = 0;
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i], y = tb[i];
    if (numeric && /^\d/.test(x) && /^\d/.test(y)) {
      const diff = BigInt(x) - BigInt(y);
      if (diff !== 0n) return diff < 0n ? -1 : 1;
      continue;
    }
    const kx = collationKey(x), ky = collationKey(y);
    if (kx.group !== ky.group) return kx.group < ky.group ? -1 : 1;
    if (kx.primary !== ky.primary) return kx.primary < ky.primary ? -1 : 1;
    if (secondary === 0 && kx.accent !== ky.accent) secondary = kx.accent < ky.accent ? -1 : 1;
    if (secondary === 0 && kx.accent && x.normalize("NFD") !== y.normalize("NFD")) {
      const ax = x.normalize("NFD").toLowerCase(), ay = y.normalize("NFD").toLowerCase();
      if (ax !== ay) secondary = ax < ay ? -1 : 1;
    }
    if (tertiary === 0 && kx.upper !== ky.upper) tertiary = kx.upper < ky.upper ? -1 : 1;
  }
  if (ta.length !== tb.length) return ta.length < tb.length ? -1 : 1;
  if (sensitivity === "base") return 0;
  if (secondary !== 0 && sensitivity !== "case") return secondary;
  if (sensitivity === "accent") return 0;
  return tertiary;
}
Object.defineProperty(String.prototype, "localeCompare", {
  value: function localeCompare(that, locales = undefined, options = undefined) {
    const s = String(toObject(this, "String.prototype.localeCompare"));
    return compareRuns(s, String(that), options);
  },
  writable: true,
  configurable: true,
  enumerable: false,
});

const CURRENCY_SYMBOLS = {
  USD: "$",
  EUR: "€",
  GBP: "£",
  JPY: "¥",
  INR: "₹",
  CNY: "CN¥",
  CAD: "CA$",
  AUD: "A$",
};
function formatNumberLocale(value, options = {}) {
  let n = Number(value);
  if (Number.isNaN(n)) return "NaN";
  const style = options.style ?? "decimal";
  if (style === "percent") n *= 100;
  const currency = style === "currency"
    ? String(options.currency ?? "USD").toUpperCase()
    : undefined;
  const defaultMax = style === "currency"
    ? (currency === "JPY" ? 0 : 2)
    : style === "percent"
    ? 0
    : 3;
  const minFraction = options.minimumFractionDigits ?? (style === "currency" ? defaultMax : 0);
  const maxFraction = Math.max(
    options.maximumFractionDigits ?? Math.max(defaultMax, minFraction),
    minFraction,
  );
  if (!Number.isFinite(n)) return `${n < 0 ? "-" : ""}∞`;
  const negative = n < 0 || Object.is(n, -0) && false;
  // Round half away from zero on the decimal digits, as ICU does.
  let [int, frac = ""] = Math.abs(n).toFixed(Math.min(maxFraction + 2, 100)).split(".");
  let digits = int + frac.slice(0, maxFraction);
  const next = Number(frac[maxFraction] ?? 0);
  if (next >= 5) digits = (BigInt(digits) + 1n).toString().padStart(digits.length, "0");
  int = digits.slice(0, digits.length - maxFraction) || "0";
  frac = maxFraction > 0 ? digits.slice(digits.length - maxFraction) : "";
  while (frac.length > minFraction && frac.endsWith("0")) frac = frac.slice(0, -1);
  if (options.useGrouping !== false) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  let out = frac ? `${int}.${frac}` : int;
  if (style === "percent") out += "%";
  if (currency) out = `${CURRENCY_SYMBOLS[currency] ?? `${currency} `}${out}`;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}
Object.defineProperty(Number.prototype, "toLocaleString", {
  value: function toLocaleString(locales = undefined, options = undefined) {
    return formatNumberLocale(Number.prototype.valueOf.call(this), options);
  },
  writable: true,
  configurable: true,
  enumerable: false,
});
if (typeof globalThis.Intl === "undefined") {
  // Only what the two functions above can answer: "en-US" collation and number formatting.
  const Intl = {
    Collator: class Collator {
      #options;
      constructor(locales = undefined, options = {}) {
        this.#options = options;
        this.compare = (a, b) => compareRuns(String(a), String(b), this.#options);
      }
      resolvedOptions() {
        return {
          locale: "en-US",
          usage: "sort",
          sensitivity: this.#options.sensitivity ?? "variant",
          numeric: Boolean(this.#options.numeric),
        };
      }
    },
    NumberFormat: class NumberFormat {
      #options;
      constructor(locales = undefined, options = {}) {
        this.#options = options;
        this.format = (n) => formatNumberLocale(n, this.#options);
      }
      resolvedOptions() {
        return {
          locale: "en-US",
          numberingSystem: "latn",
          style: this.#options.style ?? "decimal",
        };
      }
    },
  };
  Object.defineProperty(globalThis, "Intl", {
    value: Intl,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
