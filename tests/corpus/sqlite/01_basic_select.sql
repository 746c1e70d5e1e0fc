-- Basic table creation, inserts and ordered select
.headers on
.mode column
CREATE TABLE employees (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  department TEXT,
  salary REAL
);
INSERT INTO employees (name, department, salary) VALUES
  ('Alice', 'Engineering', 120000),
  ('Bob', 'Engineering', 95000),
  ('Carol', 'Sales', 70000),
  ('Dave', 'Sales', 65000),
  ('Eve', 'Marketing', 80000);
SELECT id, name, department, salary FROM employees ORDER BY salary DESC;
SELECT count(*) AS n, round(avg(salary), 2) AS avg_salary, max(salary) AS top FROM employees;
