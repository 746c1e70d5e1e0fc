const assert = require("assert");
assert.ok(true);
assert.equal(1, "1");
assert.strictEqual(2 + 2, 4);
assert.deepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] });
assert.notDeepStrictEqual({ a: 1 }, { a: "1" });
assert.throws(() => { throw new TypeError("bad"); }, TypeError);
assert.throws(() => { throw new Error("oops 42"); }, /oops \d+/);
assert.match("hello world", /world/);
try { assert.strictEqual(1, 2); } catch (e) { console.log(e.name, e.code, e.message); }
try { assert.deepStrictEqual([1, 2], [1, 3], "arrays differ"); } catch (e) { console.log(e.message, e instanceof assert.AssertionError); }
try { assert(false); } catch (e) { console.log(JSON.stringify(e.message)); }
try { assert.fail("nope"); } catch (e) { console.log(e.message, e.operator); }
assert.rejects(Promise.reject(new Error("r")), /r/).then(() => console.log("rejects ok"));
console.log("all passed");
