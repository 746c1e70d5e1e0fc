const data = JSON.parse(`[
  {"name": "Ada", "dept": "eng", "salary": 120000, "skills": ["math", "engines"]},
  {"name": "Grace", "dept": "eng", "salary": 130000, "skills": ["cobol"]},
  {"name": "Linus", "dept": "ops", "salary": 90000, "skills": []}
]`);
const byDept = data.reduce((acc, p) => ((acc[p.dept] ??= []).push(p), acc), {});
console.log(byDept);
const totals = Object.fromEntries(Object.entries(byDept).map(([d, ps]) => [d, ps.reduce((s, p) => s + p.salary, 0)]));
console.log(JSON.stringify(totals));
console.log(JSON.stringify(data[0], null, 2));
console.log(JSON.stringify({ when: new Date(0), big: undefined, list: [undefined, () => 1] }));
console.log(JSON.parse('{"a":{"b":[1,2,{"c":null}]}}', (k, v) => (typeof v === "number" ? v * 10 : v)));
