const util = require("util");
console.log(util.format("%s=%d", "x", 5), util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: 0 }));
console.log(util.inspect("str"), util.inspect([1, 2], { compact: false }), util.isDeepStrictEqual({ a: 1 }, { a: 1 }));
console.log(util.types.isDate(new Date()), util.types.isPromise(Promise.resolve()), util.types.isRegExp(/x/));
const sleep = util.promisify((ms, cb) => setTimeout(() => cb(null, ms * 2), ms));
sleep(5).then((v) => console.log("promisified", v));
function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return `${this.name} speaks`; };
function Dog(name) { Animal.call(this, name); }
util.inherits(Dog, Animal);
console.log(new Dog("rex").speak(), new Dog("rex"));
class Temp { [util.inspect.custom]() { return "Temp<custom>"; } }
console.log(new Temp(), [new Temp()]);
