// deno-lint-ignore-file
// util.inspect, util.format and a Node-shaped console for QuickJS, so console.log prints what
// `node` prints. Ported from Node.js v20 lib/internal/util/inspect.js and
// lib/internal/cli_table.js, trimmed to what QuickJS can observe (no colors, no proxies, no
// promise state, no showHidden internals).
//
// Node.js is licensed under the MIT license:
// Copyright Node.js contributors. All rights reserved.
// Permission is hereby granted, free of charge, to any person obtaining a copy of this software
// and associated documentation files (the "Software"), to deal in the Software without
// restriction, including without limitation the rights to use, copy, modify, merge, publish,
// distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
// Software is furnished to do so, subject to the following conditions: The above copyright
// notice and this permission notice shall be included in all copies or substantial portions of
// the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
// IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
// PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
// LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
// OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
// DEALINGS IN THE SOFTWARE.

import { stackHooks } from "/usr/local/lib/quickjs/node_builtins.js";

export const customInspect = Symbol.for("nodejs.util.inspect.custom");

export const inspectDefaultOptions = {
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false,
};

const kObjectType = 0;
const kArrayType = 1;
const kArrayExtrasType = 2;
const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const strEscapeSequencesRegExp =
  /[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const strEscapeSequencesRegExpSingle =
  /[\x00-\x1f\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const meta = [
  "\\x00",
  "\\x01",
  "\\x02",
  "\\x03",
  "\\x04",
  "\\x05",
  "\\x06",
  "\\x07",
  "\\b",
  "\\t",
  "\\n",
  "\\x0B",
  "\\f",
  "\\r",
  "\\x0E",
  "\\x0F",
  "\\x10",
  "\\x11",
  "\\x12",
  "\\x13",
  "\\x14",
  "\\x15",
  "\\x16",
  "\\x17",
  "\\x18",
  "\\x19",
  "\\x1A",
  "\\x1B",
  "\\x1C",
  "\\x1D",
  "\\x1E",
  "\\x1F",
];

function escapeChar(ch, singleQuote) {
  const point = ch.charCodeAt(0);
  if (point < 32) return meta[point];
  if (point === 39 && singleQuote === 39) return "\\'";
  if (point === 92) return "\\\\";
  if ((point >= 0x7f && point <= 0x9f) || (point >= 0xd800 && point <= 0xdfff)) {
    return `\\${point > 0xff ? "u" : "x"}${
      point.toString(16).toUpperCase().padStart(point > 0xff ? 4 : 2, "0")
    }`;
  }
  return ch;
}

function strEscape(str) {
  let escapeTest = strEscapeSequencesRegExp;
  let singleQuote = 39;
  // Node picks the quote that needs no escaping: ' first, then ", then `.
  if (str.includes("'")) {
    if (!str.includes('"')) singleQuote = -1;
    else if (!str.includes("`") && !str.includes("${")) singleQuote = -2;
    if (singleQuote !== 39) escapeTest = strEscapeSequencesRegExpSingle;
  }
  if (escapeTest.test(str)) {
    const global = new RegExp(escapeTest.source, "g");
    str = str.replace(global, (ch) => escapeChar(ch, singleQuote));
  }
  if (singleQuote === -1) return `"${str}"`;
  if (singleQuote === -2) return `\`${str}\``;
  return `'${str}'`;
}

function formatNumber(n) {
  return Object.is(n, -0) ? "-0" : `${n}`;
}

function formatPrimitive(value, ctx) {
  switch (typeof value) {
    case "string": {
      let trailer = "";
      if (value.length > ctx.maxStringLength) {
        const remaining = value.length - ctx.maxStringLength;
        value = value.slice(0, ctx.maxStringLength);
        trailer = `... ${remaining} more character${remaining > 1 ? "s" : ""}`;
      }
      if (
        ctx.compact !== true && value.length > 16 &&
        value.length > ctx.breakLength - ctx.indentationLvl - 4
      ) {
        return value.split(/(?<=\n)/).map((line) => strEscape(line)).join(
          ` +\n${" ".repeat(ctx.indentationLvl + 2)}`,
        ) +
          trailer;
      }
      return strEscape(value) + trailer;
    }
    case "number":
      return formatNumber(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
      return `${value}`;
    case "undefined":
      return "undefined";
    default:
      return value.toString();
  }
}

function getConstructorName(obj) {
  let proto = obj;
  while (proto !== null && proto !== undefined) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, "constructor");
    if (
      descriptor !== undefined && typeof descriptor.value === "function" &&
      descriptor.value.name !== "" &&
      isInstanceof(obj, descriptor.value)
    ) {
      return String(descriptor.value.name);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function isInstanceof(object, proto) {
  try {
    return object instanceof proto;
  } catch {
    return false;
  }
}

function getPrefix(constructor, tag, fallback, size = "") {
  if (constructor === null) {
    if (tag !== "" && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== "" && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function getKeys(value, showHidden) {
  const symbols = Object.getOwnPropertySymbols(value);
  if (showHidden) return [...Object.getOwnPropertyNames(value), ...symbols];
  const keys = Object.keys(value);
  for (const symbol of symbols) {
    if (Object.prototype.propertyIsEnumerable.call(value, symbol)) keys.push(symbol);
  }
  return keys;
}

function getOwnNonIndexProperties(value, showHidden) {
  const isIndex = (key) =>
    typeof key === "string" && /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
  return getKeys(value, showHidden).filter((key) => !isIndex(key));
}

const TypedArray = Object.getPrototypeOf(Uint8Array);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag).get;
const isTypedArray = (value) => typedArrayTag.call(value) !== undefined;
const tagOf = (value) => Object.prototype.toString.call(value).slice(8, -1);
const isError = (value) => value instanceof Error || tagOf(value) === "Error";

function isArguments(value) {
  return tagOf(value) === "Arguments";
}

function getFunctionBase(value, constructor, tag) {
  const stringified = Function.prototype.toString.call(value);
  if (stringified.startsWith("class") && stringified.endsWith("}")) {
    const slice = stringified.slice(5, -1);
    const bracketIndex = slice.indexOf("{");
    if (bracketIndex !== -1 && !slice.slice(0, bracketIndex).includes("(")) {
      return getClassBase(value, constructor, tag);
    }
  }
  let type = "Function";
  const kind = Object.getPrototypeOf(value)?.constructor?.name;
  if (kind === "GeneratorFunction") type = "GeneratorFunction";
  else if (kind === "AsyncFunction") type = "AsyncFunction";
  else if (kind === "AsyncGeneratorFunction") type = "AsyncGeneratorFunction";
  let base = `[${type}`;
  if (constructor === null) base += " (null prototype)";
  if (value.name === "") base += " (anonymous)";
  else base += `: ${value.name}`;
  base += "]";
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== "" && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function getClassBase(value, constructor, tag) {
  const hasName = Object.prototype.hasOwnProperty.call(value, "name");
  const name = (hasName && value.name) || "(anonymous)";
  let base = `class ${name}`;
  if (constructor !== "Function" && constructor !== null) base += ` [${constructor}]`;
  if (tag !== "" && constructor !== tag) base += ` [${tag}]`;
  if (constructor !== null) {
    const superName = Object.getPrototypeOf(value).name;
    if (superName) base += ` extends ${superName}`;
  } else {
    base += " extends [null prototype]";
  }
  return `[${base}]`;
}

// The engine's stacks name no error: V8's (and so Node's) start with "Name: message".
export function stackOf(err) {
  let stack = err.stack;
  const header = errorToString(err);
  if (typeof stack !== "string" || stack === "") return header;
  if (!/^\s+at /.test(stack)) return stack;
  return `${header}\n${stackHooks.rewrite(stack).replace(/\n$/, "")}`;
}

function errorToString(err) {
  try {
    return Error.prototype.toString.call(err);
  } catch {
    return "Error";
  }
}

function improveStack(stack, constructor, name, tag) {
  let len = name.length;
  if (
    constructor === null || (name.endsWith("Error") && stack.startsWith(name) &&
      (stack.length === len || stack[len] === ":" || stack[len] === "\n"))
  ) {
    let fallback = "Error";
    if (constructor === null) {
      const start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n\s+at)/.exec(stack) ||
        /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
      fallback = (start && start[1]) || "";
      len = fallback.length;
      fallback = fallback || "Error";
    }
    const prefix = getPrefix(constructor, tag, fallback).slice(0, -1);
    if (name !== prefix) {
      if (prefix.includes(name)) {
        if (len === 0) stack = `${prefix}: ${stack}`;
        else stack = `${prefix}${stack.slice(len)}`;
      } else {
        stack = `${prefix} [${name}]${stack.slice(len)}`;
      }
    }
  }
  return stack;
}

function formatError(err, constructor, tag, ctx, keys) {
  const name = err.name != null ? String(err.name) : "Error";
  let stack = stackOf(err);
  // The name, message and stack are in the stack text already: not again as keys.
  for (const key of ["name", "message", "stack"]) {
    const index = keys.indexOf(key);
    if (index !== -1 && (typeof err[key] !== "string" || stack.includes(err[key]))) {
      keys.splice(index, 1);
    }
  }
  if ("cause" in err && (keys.length === 0 || !keys.includes("cause"))) keys.push("cause");
  if (Array.isArray(err.errors) && (keys.length === 0 || !keys.includes("errors"))) {
    keys.push("errors");
  }
  stack = improveStack(stack, constructor, name, tag);
  let pos = (err.message && stack.indexOf(err.message)) || -1;
  if (pos !== -1) pos += err.message.length;
  const stackStart = stack.indexOf("\n    at", pos);
  if (stackStart === -1) stack = `[${stack}]`;
  if (ctx.indentationLvl !== 0) {
    const indentation = " ".repeat(ctx.indentationLvl);
    stack = stack.replace(/\n/g, `\n${indentation}`);
  }
  return stack;
}

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(value, ctx);
  if (value === null) return "null";
  if (ctx.customInspect) {
    let maybeCustom;
    try {
      maybeCustom = value[customInspect];
    } catch {
      maybeCustom = undefined;
    }
    if (typeof maybeCustom === "function" && maybeCustom !== inspect) {
      const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      const options = { ...ctx, depth, stylize: (s) => s };
      delete options.seen;
      delete options.budget;
      delete options.indentationLvl;
      delete options.currentDepth;
      const ret = maybeCustom.call(value, depth, options, inspect);
      if (ret !== value) {
        if (typeof ret !== "string") return formatValue(ctx, ret, recurseTimes);
        return ret.replace(/\n/g, `\n${" ".repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(value)) {
    let index = 1;
    if (ctx.circular === undefined) {
      ctx.circular = new Map();
      ctx.circular.set(value, index);
    } else {
      index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

function formatRaw(ctx, value, recurseTimes, typedArray) {
  let keys;
  const constructor = getConstructorName(value);
  let tag = value[Symbol.toStringTag];
  if (
    typeof tag !== "string" ||
    (tag !== "" && Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag))
  ) {
    tag = "";
  }
  let base = "";
  let formatter = () => [];
  let braces;
  let noIterator = true;
  let extrasType = kObjectType;

  if (Symbol.iterator in value || constructor === null) {
    noIterator = false;
    if (Array.isArray(value)) {
      const prefix = constructor !== "Array" || tag !== ""
        ? getPrefix(constructor, tag, "Array", `(${value.length})`)
        : "";
      keys = getOwnNonIndexProperties(value, ctx.showHidden);
      // QuickJS makes a match's groups before index and input; V8 after.
      if (keys.includes("groups") && keys.includes("index")) {
        keys = [...keys.filter((k) => k !== "groups"), "groups"];
      }
      braces = [`${prefix}[`, "]"];
      if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
      extrasType = kArrayExtrasType;
      formatter = formatArray;
    } else if (value instanceof Set) {
      const size = value.size;
      const prefix = getPrefix(constructor, tag, "Set", `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = formatSet.bind(null, value);
      if (size === 0 && keys.length === 0) return `${prefix}{}`;
      braces = [`${prefix}{`, "}"];
    } else if (value instanceof Map) {
      const size = value.size;
      const prefix = getPrefix(constructor, tag, "Map", `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = formatMap.bind(null, value);
      if (size === 0 && keys.length === 0) return `${prefix}{}`;
      braces = [`${prefix}{`, "}"];
    } else if (isTypedArray(value)) {
      keys = getOwnNonIndexProperties(value, ctx.showHidden);
      const fallback = constructor === null ? typedArrayTag.call(value) : "";
      const size = value.length;
      const prefix = getPrefix(constructor, tag, fallback, `(${size})`);
      braces = [`${prefix}[`, "]"];
      if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
      formatter = formatTypedArray.bind(null, value, size);
      extrasType = kArrayExtrasType;
    } else if (tag === "Map Iterator" || tag === "Set Iterator") {
      keys = getKeys(value, ctx.showHidden);
      braces = [`[${tag}] {`, "}"];
      formatter = formatIterator;
    } else {
      noIterator = true;
    }
  }
  if (noIterator) {
    keys = getKeys(value, ctx.showHidden);
    braces = ["{", "}"];
    if (constructor === "Object") {
      if (isArguments(value)) {
        braces[0] = "[Arguments] [";
        extrasType = kArrayExtrasType;
        formatter = formatArguments;
        keys = getOwnNonIndexProperties(value, ctx.showHidden);
        if (value.length === 0 && keys.length === 0) return "[Arguments] []";
      } else if (tag !== "") {
        braces[0] = `${getPrefix(constructor, tag, "Object")}{`;
      }
      if (keys.length === 0 && formatter !== formatArguments) return `${braces[0]}}`;
    } else if (typeof value === "function") {
      base = getFunctionBase(value, constructor, tag);
      if (keys.length === 0) return base;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(constructor !== null ? value : new RegExp(value));
      const prefix = getPrefix(constructor, tag, "RegExp");
      if (prefix !== "RegExp ") base = `${prefix}${base}`;
      if (keys.length === 0 || (recurseTimes > ctx.depth && ctx.depth !== null)) return base;
    } else if (value instanceof Date) {
      base = Number.isNaN(value.getTime()) ? value.toString() : value.toISOString();
      const prefix = getPrefix(constructor, tag, "Date");
      if (prefix !== "Date ") base = `${prefix}${base}`;
      if (keys.length === 0) return base;
    } else if (isError(value)) {
      base = formatError(value, constructor, tag, ctx, keys);
      if (keys.length === 0) return base;
    } else if (value instanceof ArrayBuffer || tagOf(value) === "SharedArrayBuffer") {
      const arrayType = value instanceof ArrayBuffer ? "ArrayBuffer" : "SharedArrayBuffer";
      const prefix = getPrefix(constructor, tag, arrayType);
      if (typedArray === undefined) {
        formatter = formatArrayBuffer;
      } else if (keys.length === 0) {
        return prefix + `{ byteLength: ${formatNumber(value.byteLength)} }`;
      }
      braces[0] = `${prefix}{`;
      keys.unshift("byteLength");
    } else if (value instanceof DataView) {
      braces[0] = `${getPrefix(constructor, tag, "DataView")}{`;
      keys.unshift("byteLength", "byteOffset", "buffer");
    } else if (value instanceof Promise) {
      braces[0] = `${getPrefix(constructor, tag, "Promise")}{`;
      // QuickJS does not expose a promise's state to scripts.
      formatter = () => ["<unknown>"];
    } else if (value instanceof WeakSet) {
      braces[0] = `${getPrefix(constructor, tag, "WeakSet")}{`;
      formatter = () => ["<items unknown>"];
    } else if (value instanceof WeakMap) {
      braces[0] = `${getPrefix(constructor, tag, "WeakMap")}{`;
      formatter = () => ["<items unknown>"];
    } else if (tagOf(value) === "Module") {
      braces[0] = "[Module: null prototype] {";
    } else if (
      value instanceof Number || value instanceof String || value instanceof Boolean ||
      value instanceof BigInt || value instanceof Symbol
    ) {
      let type, fn;
      if (value instanceof Number) [type, fn] = ["Number", formatNumber];
      else if (value instanceof String) {
        [type, fn] = ["String", strEscape];
        keys = keys.filter((key) => !/^(0|[1-9][0-9]*)$/.test(key));
      } else if (value instanceof Boolean) [type, fn] = ["Boolean", String];
      else if (value instanceof BigInt) [type, fn] = ["BigInt", (v) => `${v}n`];
      else [type, fn] = ["Symbol", (v) => v.toString()];
      base = `[${type}`;
      if (type !== constructor) {
        if (constructor === null) base += " (null prototype)";
        else base += ` (${constructor})`;
      }
      base += `: ${fn(value.valueOf())}]`;
      if (tag !== "" && tag !== constructor) base += ` [${tag}]`;
      if (keys.length === 0) return base;
    } else {
      if (keys.length === 0) return `${getPrefix(constructor, tag, "Object")}{}`;
      braces[0] = `${getPrefix(constructor, tag, "Object")}{`;
    }
  }

  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    let constructorName = getPrefix(constructor, tag, "Object").slice(0, -1);
    if (constructor !== null) constructorName = `[${constructorName}]`;
    return constructorName;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (let i = 0; i < keys.length; i++) {
      output.push(formatProperty(ctx, value, recurseTimes, keys[i], extrasType));
    }
  } catch (err) {
    if (err instanceof RangeError || err instanceof InternalError) {
      ctx.seen.pop();
      return `[${
        getPrefix(constructor, tag, "Object").slice(0, -1)
      }: Inspection interrupted prematurely. Maximum call stack size exceeded.]`;
    }
    throw err;
  }
  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) {
      const reference = `<ref *${index}>`;
      if (ctx.compact !== true) base = base === "" ? reference : `${reference} ${base}`;
      else braces[0] = `${reference} ${braces[0]}`;
    }
  }
  ctx.seen.pop();
  if (ctx.sorted) {
    const comparator = ctx.sorted === true ? undefined : ctx.sorted;
    if (extrasType === kObjectType) output = output.sort(comparator);
    else if (keys.length > 1) {
      const sorted = output.slice(output.length - keys.length).sort(comparator);
      output.splice(output.length - keys.length, keys.length, ...sorted);
    }
  }
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
}

function formatArray(ctx, value, recurseTimes) {
  const valLen = value.length;
  const len = Math.min(Math.max(0, ctx.maxArrayLength), valLen);
  const remaining = valLen - len;
  const output = [];
  for (let i = 0; i < len; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) {
      return formatSpecialArray(ctx, value, recurseTimes, len, output, i);
    }
    output.push(formatProperty(ctx, value, recurseTimes, i, kArrayType));
  }
  if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
  return output;
}

// Arrays with holes: runs of missing indices print as "<n empty items>".
function formatSpecialArray(ctx, value, recurseTimes, maxLength, output, i) {
  const keys = Object.keys(value);
  let index = i;
  for (; i < keys.length && output.length < maxLength; i++) {
    const key = keys[i];
    const tmp = +key;
    if (tmp > 2 ** 32 - 2) break;
    if (`${index}` !== key) {
      if (!/^(0|[1-9][0-9]*)$/.test(key)) break;
      const emptyItems = tmp - index;
      const ending = emptyItems > 1 ? "s" : "";
      output.push(`<${emptyItems} empty item${ending}>`);
      index = tmp;
      if (output.length === maxLength) break;
    }
    output.push(formatProperty(ctx, value, recurseTimes, key, kArrayType));
    index++;
  }
  const remaining = value.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) {
      output.push(`<${remaining} empty item${remaining > 1 ? "s" : ""}>`);
    }
  } else if (remaining > 0) {
    output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
  }
  return output;
}

function formatArguments(ctx, value, recurseTimes) {
  return formatArray(ctx, Array.prototype.slice.call(value), recurseTimes);
}

function formatTypedArray(value, length, ctx) {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const remaining = value.length - maxLength;
  const output = new Array(maxLength);
  for (let i = 0; i < maxLength; ++i) {
    output[i] = typeof value[i] === "bigint" ? `${value[i]}n` : formatNumber(value[i]);
  }
  if (remaining > 0) output[maxLength] = `... ${remaining} more item${remaining > 1 ? "s" : ""}`;
  return output;
}

function formatArrayBuffer(ctx, value) {
  const buffer = new Uint8Array(value);
  let str = Array.from(
    buffer.subarray(0, Math.min(ctx.maxArrayLength, buffer.length)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join(" ");
  const remaining = buffer.length - ctx.maxArrayLength;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? "s" : ""}`;
  return [`[Uint8Contents]: <${str}>`];
}

function formatSet(value, ctx, ignored, recurseTimes) {
  const length = value.size;
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const remaining = length - maxLength;
  const output = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const v of value) {
    if (i >= maxLength) break;
    output.push(formatValue(ctx, v, recurseTimes));
    i++;
  }
  if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(value, ctx, ignored, recurseTimes) {
  const length = value.size;
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const remaining = length - maxLength;
  const output = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const [k, v] of value) {
    if (i >= maxLength) break;
    output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
    i++;
  }
  if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
  ctx.indentationLvl -= 2;
  return output;
}

function formatIterator() {
  // Reading a live iterator would consume it; QuickJS offers no preview.
  return ["<items unknown>"];
}

function formatProperty(ctx, value, recurseTimes, key, type, desc) {
  let name, str;
  let extra = " ";
  desc = desc || Object.getOwnPropertyDescriptor(value, key) ||
    { value: value[key], enumerable: true };
  if (desc.value !== undefined) {
    const diff = ctx.compact !== true || type !== kObjectType ? 2 : 3;
    ctx.indentationLvl += diff;
    str = formatValue(ctx, desc.value, recurseTimes);
    if (diff === 3 && ctx.breakLength < str.length) extra = `\n${" ".repeat(ctx.indentationLvl)}`;
    ctx.indentationLvl -= diff;
  } else if (desc.get !== undefined) {
    const label = desc.set !== undefined ? "Getter/Setter" : "Getter";
    if (ctx.getters) {
      try {
        const tmp = desc.get.call(value);
        ctx.indentationLvl += 2;
        str = tmp === null
          ? `[${label}: null]`
          : typeof tmp === "object"
          ? `[${label}] ${formatValue(ctx, tmp, recurseTimes)}`
          : `[${label}: ${formatPrimitive(tmp, ctx)}]`;
        ctx.indentationLvl -= 2;
      } catch (err) {
        str = `[${label}: <Inspection threw (${err.message})>]`;
      }
    } else {
      str = `[${label}]`;
    }
  } else if (desc.set !== undefined) {
    str = "[Setter]";
  } else {
    str = "undefined";
  }
  if (type === kArrayType) return str;
  if (typeof key === "symbol") name = `[${key.toString()}]`;
  else if (key === "__proto__") name = "['__proto__']";
  else if (desc.enumerable === false) name = `[${key}]`;
  else if (keyStrRegExp.test(key)) name = key;
  else name = strEscape(key);
  return `${name}:${extra}${str}`;
}

function isBelowBreakLength(ctx, output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (let i = 0; i < output.length; i++) {
    totalLength += output[i].length;
    if (totalLength > ctx.breakLength) return false;
  }
  return base === "" || !base.includes("\n");
}

function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === "number" && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === kArrayExtrasType && entries > 6) {
        output = groupArrayElements(ctx, output, value);
      }
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joinedOutput = output.join(", ");
          if (!joinedOutput.includes("\n")) {
            return `${base ? `${base} ` : ""}${braces[0]} ${joinedOutput}` + ` ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${
      output.join(`,${indentation}  `)
    }${indentation}${braces[1]}`;
  }
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return `${braces[0]}${base ? ` ${base}` : ""} ${output.join(", ")} ` + braces[1];
  }
  const indentation = " ".repeat(ctx.indentationLvl);
  const ln = base === "" && braces[0].length === 1
    ? " "
    : `${base ? ` ${base}` : ""}\n${indentation}  `;
  return `${braces[0]}${ln}${output.join(`,\n${indentation}  `)} ${braces[1]}`;
}

// Long arrays of short entries print in aligned columns, as Node does.
function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let i = 0;
  let outputLength = output.length;
  if (ctx.maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (; i < outputLength; i++) {
    const len = getStringWidth(output[i]);
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (
    actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
    (totalLength / actualMax > 5 || maxLength <= 6)
  ) {
    const approxCharHeights = 2.5;
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineLength) lineLength = dataLen[j];
      }
      maxLineLength.push(lineLength + separatorSpace);
    }
    let order = String.prototype.padStart;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
          order = String.prototype.padEnd;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = "";
      let j = i;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
        str += order.call(`${output[j]}, `, padding, " ");
      }
      if (order === String.prototype.padStart) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j] - separatorSpace;
        str += output[j].padStart(padding, " ");
      } else {
        str += output[j];
      }
      tmp.push(str);
    }
    if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}

// Display width: East Asian wide characters and emoji take two columns, combining marks none.
export function getStringWidth(str) {
  let width = 0;
  for (const ch of str) {
    const code = ch.codePointAt(0);
    if (
      code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0x300 && code <= 0x36f) ||
      code === 0x200b ||
      (code >= 0xfe00 && code <= 0xfe0f)
    ) continue;
    width += isFullWidth(code) ? 2 : 1;
  }
  return width;
}

function isFullWidth(code) {
  return code >= 0x1100 && (code <= 0x115f || code === 0x2329 || code === 0x232a ||
    (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) || (code >= 0x3250 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0xa4c6) || (code >= 0xa960 && code <= 0xa97c) ||
    (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe10 && code <= 0xfe19) || (code >= 0xfe30 && code <= 0xfe6b) ||
    (code >= 0xff01 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1b000 && code <= 0x1b001) || (code >= 0x1f200 && code <= 0x1f251) ||
    (code >= 0x1f300 && code <= 0x1f64f) || (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd));
}

export function inspect(value, opts) {
  const ctx = {
    budget: {},
    indentationLvl: 0,
    seen: [],
    currentDepth: 0,
    ...inspectDefaultOptions,
  };
  if (arguments.length > 2) {
    if (arguments[2] !== undefined) ctx.depth = arguments[2];
    if (arguments.length > 3 && arguments[3] !== undefined) ctx.colors = arguments[3];
  }
  if (typeof opts === "boolean") ctx.showHidden = opts;
  else if (opts) {
    for (const key of Object.keys(opts)) {
      if (Object.prototype.hasOwnProperty.call(inspectDefaultOptions, key) || key === "stylize") {
        ctx[key] = opts[key];
      }
    }
  }
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  if (ctx.depth === Infinity) ctx.depth = null;
  return formatValue(ctx, value, 0);
}
inspect.custom = customInspect;
inspect.defaultOptions = inspectDefaultOptions;

function formatNumberSpec(value, fn) {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol") return "NaN";
  return formatNumber(fn(value));
}

export function format(...args) {
  return formatWithOptions(undefined, ...args);
}

export function formatWithOptions(inspectOptions, ...args) {
  return formatArgs(inspectOptions, args);
}

function formatArgs(inspectOptions, args) {
  const first = args[0];
  // The common case, console.log of strings and numbers, skips the inspect machinery.
  if (typeof first !== "string" || !first.includes("%")) {
    let plain = true;
    for (const arg of args) {
      const type = typeof arg;
      if (type !== "string" && type !== "number" && type !== "boolean" && type !== "undefined") {
        plain = false;
        break;
      }
    }
    if (plain) {
      let out = "";
      for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (i > 0) out += " ";
        out += typeof arg === "number" ? formatNumber(arg) : `${arg}`;
      }
      return out;
    }
  }
  let a = 0;
  let str = "";
  let join = "";
  if (typeof first === "string") {
    if (args.length === 1) return first;
    let tempStr;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) === 37) { // '%'
        const nextChar = first.charCodeAt(++i);
        if (a + 1 !== args.length) {
          switch (nextChar) {
            case 115: { // 's'
              const tempArg = args[++a];
              if (typeof tempArg === "number") tempStr = formatNumber(tempArg);
              else if (typeof tempArg === "bigint") tempStr = `${tempArg}n`;
              else if (
                typeof tempArg !== "object" || tempArg === null || !hasBuiltInToString(tempArg)
              ) tempStr = String(tempArg);
              else {tempStr = inspect(tempArg, {
                  ...inspectOptions,
                  depth: 0,
                  colors: false,
                  compact: 3,
                });}
              break;
            }
            case 106: // 'j'
              tempStr = tryStringify(args[++a]);
              break;
            case 100: { // 'd'
              const tempNum = args[++a];
              tempStr = typeof tempNum === "object" && tempNum !== null
                ? formatNumber(Number(tempNum))
                : formatNumberSpec(tempNum, Number);
              break;
            }
            case 79: // 'O'
              tempStr = inspect(args[++a], inspectOptions);
              break;
            case 111: // 'o'
              tempStr = inspect(args[++a], {
                ...inspectOptions,
                showHidden: true,
                showProxy: true,
                depth: 4,
              });
              break;
            case 105: { // 'i'
              const tempInteger = args[++a];
              tempStr = typeof tempInteger === "bigint"
                ? `${tempInteger}n`
                : typeof tempInteger === "symbol"
                ? "NaN"
                : formatNumber(parseInt(tempInteger));
              break;
            }
            case 102: { // 'f'
              const tempFloat = args[++a];
              tempStr = typeof tempFloat === "symbol" ? "NaN" : formatNumber(parseFloat(tempFloat));
              break;
            }
            case 99: // 'c'
              a += 1;
              tempStr = "";
              break;
            case 37: // '%'
              str += first.slice(lastPos, i);
              lastPos = i + 1;
              continue;
            default:
              continue;
          }
          if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
          str += tempStr;
          lastPos = i + 1;
        } else if (nextChar === 37) {
          str += first.slice(lastPos, i);
          lastPos = i + 1;
        }
      }
    }
    if (lastPos !== 0) {
      a++;
      join = " ";
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== "string"
      ? inspect(value, { ...inspectOptions, compact: 3, colors: false, depth: 2 })
      : value;
    join = " ";
    a++;
  }
  return str;
}

function hasBuiltInToString(value) {
  // An object whose toString is its own (or its class's) prints through it under %s.
  let proto = value;
  while (proto !== null && proto !== Object.prototype) {
    if (
      Object.prototype.hasOwnProperty.call(proto, "toString") && !(value instanceof Error) &&
      proto !== Array.prototype && proto !== Date.prototype && proto !== RegExp.prototype
    ) {
      return false;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return true;
}

function tryStringify(arg) {
  try {
    return JSON.stringify(arg);
  } catch (err) {
    if (err instanceof TypeError && /circular/i.test(err.message)) return "[Circular]";
    throw err;
  }
}

// console.table, from Node's lib/internal/cli_table.js.
const tableChars = {
  middleMiddle: "─",
  rowMiddle: "┼",
  topRight: "┐",
  topLeft: "┌",
  leftMiddle: "├",
  topMiddle: "┬",
  bottomRight: "┘",
  bottomLeft: "└",
  bottomMiddle: "┴",
  rightMiddle: "┤",
  left: "│ ",
  right: " │",
  middle: " │ ",
};

function renderRow(row, columnWidths) {
  let out = tableChars.left;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    const len = getStringWidth(cell);
    const needed = columnWidths[i] - len;
    out += cell + " ".repeat(needed);
    if (i !== row.length - 1) out += tableChars.middle;
  }
  out += tableChars.right;
  return out;
}

function table(head, columns) {
  const rows = [];
  const columnWidths = head.map((h) => getStringWidth(h));
  const longestColumn = Math.max(...columns.map((a) => a.length));
  for (let i = 0; i < head.length; i++) {
    const column = columns[i];
    for (let j = 0; j < longestColumn; j++) {
      if (rows[j] === undefined) rows[j] = [];
      const value = rows[j][i] = Object.prototype.hasOwnProperty.call(column, j) ? column[j] : "";
      const width = columnWidths[i] || 0;
      const counted = getStringWidth(value);
      columnWidths[i] = Math.max(width, counted);
    }
  }
  const divider = columnWidths.map((i) => tableChars.middleMiddle.repeat(i + 2));
  let result = tableChars.topLeft + divider.join(tableChars.topMiddle) + tableChars.topRight +
    "\n" +
    renderRow(head, columnWidths) + "\n" + tableChars.leftMiddle +
    divider.join(tableChars.rowMiddle) +
    tableChars.rightMiddle + "\n";
  for (const row of rows) result += `${renderRow(row, columnWidths)}\n`;
  result += tableChars.bottomLeft + divider.join(tableChars.bottomMiddle) + tableChars.bottomRight;
  return result;
}

function tableValue(v) {
  return formatValue(
    {
      ...inspectDefaultOptions,
      budget: {},
      indentationLvl: 0,
      seen: [],
      currentDepth: 0,
      depth: 1,
      maxArrayLength: 3,
      breakLength: Infinity,
    },
    v,
    0,
  );
}

function renderTable(tabularData, properties) {
  if (tabularData === null || typeof tabularData !== "object") return null;
  const keyKey = "(index)";
  const valuesKey = "Values";
  const iterKey = "(iteration index)";
  const mapIter = tabularData instanceof Map;
  let isKeyValue = false;
  let i = 0;
  if (mapIter) {
    const res = [];
    const keys = [], values = [];
    for (const [k, v] of tabularData) {
      keys.push(tableValue(k));
      values.push(tableValue(v));
      i++;
    }
    res.push(
      table([iterKey, "Key", valuesKey], [
        Array.from({ length: i }, (_, n) => String(n)),
        keys,
        values,
      ]),
    );
    return res[0];
  }
  if (tabularData instanceof Set) {
    const values = [];
    for (const v of tabularData) {
      values.push(tableValue(v));
      i++;
    }
    return table([iterKey, valuesKey], [Array.from({ length: i }, (_, n) => String(n)), values]);
  }
  const map = Object.create(null);
  let hasPrimitives = false;
  const valuesKeyArray = [];
  const indexKeyArray = Object.keys(tabularData);
  for (; i < indexKeyArray.length; i++) {
    const item = tabularData[indexKeyArray[i]];
    const primitive = item === null || (typeof item !== "function" && typeof item !== "object");
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      valuesKeyArray[i] = tableValue(item);
    } else {
      const keys = properties || Object.keys(item);
      for (const key of keys) {
        map[key] ??= [];
        if ((primitive && properties) || !Object.prototype.hasOwnProperty.call(item, key)) {
          map[key][i] = "";
        } else map[key][i] = tableValue(item[key]);
      }
    }
  }
  const keys = Object.keys(map);
  const values = Object.values(map);
  if (hasPrimitives) {
    keys.push(valuesKey);
    values.push(valuesKeyArray);
  }
  keys.unshift(keyKey);
  values.unshift(indexKeyArray);
  return table(keys, values);
}

// console: log/info/debug to stdout, error/warn/trace to stderr, with group indentation.
export function makeConsole(writeOut, writeErr) {
  let groupIndent = "";
  const counts = new Map();
  const timers = new Map();
  function write(to, text) {
    if (groupIndent !== "") {
      text = text.includes("\n") ? text.replace(/\n/g, `\n${groupIndent}`) : text;
      text = groupIndent + text;
    }
    to(text + "\n");
  }
  function elapsed(label) {
    const ms = Date.now() - timers.get(label);
    if (ms >= 1000) return `${(ms / 1000).toFixed(3)}s`;
    return `${ms.toFixed(3)}ms`;
  }
  const console = {
    log(...args) {
      write(
        writeOut,
        args.length === 1 && typeof args[0] === "string" ? args[0] : formatArgs(undefined, args),
      );
    },
    warn(...args) {
      write(writeErr, formatArgs(undefined, args));
    },
    dir(object, options) {
      write(writeOut, inspect(object, { customInspect: false, ...options }));
    },
    time(label = "default") {
      label = `${label}`;
      if (timers.has(label)) {
        console.warn(`(node:1) Warning: Label '${label}' already exists for console.time()`);
        return;
      }
      timers.set(label, Date.now());
    },
    timeEnd(label = "default") {
      label = `${label}`;
      if (!timers.has(label)) {
        console.warn(`(node:1) Warning: No such label '${label}' for console.timeEnd()`);
        return;
      }
      console.log("%s: %s", label, elapsed(label));
      timers.delete(label);
    },
    timeLog(label = "default", ...data) {
      label = `${label}`;
      if (!timers.has(label)) {
        console.warn(`(node:1) Warning: No such label '${label}' for console.timeLog()`);
        return;
      }
      console.log("%s: %s", label, elapsed(label), ...data);
    },
    trace(...args) {
      const err = { name: "Trace", message: formatWithOptions(undefined, ...args) };
      const stack = (new Error().stack ?? "").split("\n").slice(1).join("\n");
      write(writeErr, `Trace${err.message ? `: ${err.message}` : ""}\n${stack.replace(/\n$/, "")}`);
    },
    assert(expression, ...args) {
      if (!expression) {
        args[0] = `Assertion failed${args.length === 0 ? "" : `: ${args[0]}`}`;
        console.warn(...args);
      }
    },
    clear() {},
    count(label = "default") {
      label = `${label}`;
      const count = (counts.get(label) ?? 0) + 1;
      counts.set(label, count);
      console.log(`${label}: ${count}`);
    },
    countReset(label = "default") {
      label = `${label}`;
      if (!counts.has(label)) {
        console.warn(`(node:1) Warning: Count for '${label}' does not exist`);
        return;
      }
      counts.delete(label);
    },
    group(...data) {
      if (data.length > 0) console.log(...data);
      groupIndent += "  ";
    },
    groupEnd() {
      groupIndent = groupIndent.slice(0, groupIndent.length - 2);
    },
    table(tabularData, properties) {
      if (properties !== undefined && !Array.isArray(properties)) {
        throw new TypeError('The "properties" argument must be an instance of Array');
      }
      const rendered = renderTable(tabularData, properties);
      if (rendered === null) console.log(tabularData);
      else write(writeOut, rendered);
    },
  };
  console.info = console.log;
  console.debug = console.log;
  console.error = console.warn;
  console.dirxml = console.log;
  console.groupCollapsed = console.group;
  for (const key of Object.keys(console)) {
    Object.defineProperty(console, key, { enumerable: true });
  }
  return console;
}
