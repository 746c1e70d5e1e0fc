console.log("start");
const _ = require("lodash");
console.log(_);
