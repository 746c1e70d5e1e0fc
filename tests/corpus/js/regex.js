const log = `2024-01-05 ERROR disk full on /dev/sda1
2024-01-05 INFO started
2024-01-06 WARN slow response 1200ms
2024-01-07 ERROR timeout after 30s`;
const re = /^(?<date>\d{4}-\d{2}-\d{2}) (?<level>[A-Z]+) (?<msg>.*)$/gm;
for (const m of log.matchAll(re)) console.log(m.groups.level, "|", m.groups.date, "|", m.groups.msg);
console.log(log.replace(/\d+ms|\d+s/g, (x) => `<${x}>`).split("\n").at(-1));
console.log("a-b_c d".split(/[-_ ]/), /(\d+)/.exec("abc 123 def"));
console.log("2024-01-05".replaceAll("-", "/"), /x/gi, new RegExp("a+b", "y").flags);
