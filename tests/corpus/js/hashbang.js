#!/usr/bin/env node
console.log("hashbang ok", __filename.endsWith("hashbang.js"));
