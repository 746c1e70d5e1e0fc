-- Scalar, correlated, IN and EXISTS subqueries
.headers on
.mode box
CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE emp (id INTEGER PRIMARY KEY, name TEXT, dept_id INTEGER, salary INTEGER);
INSERT INTO dept VALUES (1,'R&D'),(2,'Ops'),(3,'Legal');
INSERT INTO emp VALUES (1,'ann',1,150),(2,'bob',1,110),(3,'cy',2,90),(4,'dee',2,95),(5,'eve',1,130),(6,'fay',NULL,50);
SELECT name, salary, (SELECT round(avg(salary), 1) FROM emp) AS company_avg FROM emp WHERE salary > (SELECT avg(salary) FROM emp) ORDER BY salary DESC;
SELECT e.name, e.salary, d.name AS dept FROM emp e JOIN dept d ON d.id = e.dept_id
WHERE e.salary = (SELECT max(salary) FROM emp e2 WHERE e2.dept_id = e.dept_id) ORDER BY d.name;
SELECT name FROM dept d WHERE NOT EXISTS (SELECT 1 FROM emp WHERE dept_id = d.id);
SELECT name FROM emp WHERE dept_id IN (SELECT id FROM dept WHERE name LIKE 'R%') ORDER BY name;
SELECT d.name, (SELECT count(*) FROM emp WHERE dept_id = d.id) AS headcount FROM dept d ORDER BY headcount DESC, d.name;
SELECT name, salary FROM emp WHERE dept_id NOT IN (SELECT id FROM dept WHERE name = 'Ops') OR dept_id IS NULL ORDER BY id;
