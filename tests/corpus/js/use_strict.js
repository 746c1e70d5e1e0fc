"use strict";
function f() { return this; }
console.log(f());
try { undeclared = 1; } catch (e) { console.log(e.constructor.name); }
