const helper = require("../math");
module.exports = { hello: (who) => `hello ${who} ${helper.add(1, 1)}` };
