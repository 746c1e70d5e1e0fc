const { add, VERSION } = require("./lib_require/math");
const config = require("./lib_require/config.json");
const pkg = require("./lib_require/pkg");
const again = require("./lib_require/math.js");
console.log(add(2, 3), VERSION, config.name, config.list.length, pkg.hello("x"));
console.log(again === require("./lib_require/math"), typeof module, require.main === module);
console.log(Object.keys(require.cache).length);
