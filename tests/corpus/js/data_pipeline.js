const csv = `region,product,units,price
north,widget,10,2.5
south,gadget,3,10
north,gadget,7,10
east,widget,1,2.5
south,widget,12,2.5`;
const [header, ...lines] = csv.split("\n");
const cols = header.split(",");
const rows = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], isNaN(v) ? v : Number(v)])));
const revenue = {};
for (const r of rows) revenue[r.region] = (revenue[r.region] ?? 0) + r.units * r.price;
console.log(revenue);
const ranking = Object.entries(revenue).sort(([, a], [, b]) => b - a);
ranking.forEach(([region, total], i) => console.log(`${i + 1}. ${region.padEnd(6)} $${total.toFixed(2)}`));
console.table(rows.filter((r) => r.product === "widget"));
const stats = rows.reduce((acc, r) => ({ min: Math.min(acc.min, r.units), max: Math.max(acc.max, r.units), sum: acc.sum + r.units }), { min: Infinity, max: -Infinity, sum: 0 });
console.log(stats, (stats.sum / rows.length).toFixed(3));
