-- Views built on joins and aggregates
.headers on
.mode column
CREATE TABLE students (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE grades (student_id INTEGER, course TEXT, grade INTEGER);
INSERT INTO students VALUES (1,'Ada'),(2,'Linus'),(3,'Grace');
INSERT INTO grades VALUES (1,'math',95),(1,'cs',99),(2,'math',70),(2,'cs',88),(3,'math',85),(3,'cs',91),(3,'art',60);
CREATE VIEW student_avg AS
  SELECT s.name, count(*) AS courses, round(avg(g.grade), 2) AS avg_grade
  FROM students s JOIN grades g ON g.student_id = s.id GROUP BY s.id;
CREATE VIEW honor_roll AS SELECT name, avg_grade FROM student_avg WHERE avg_grade >= 85;
SELECT * FROM student_avg ORDER BY avg_grade DESC;
SELECT * FROM honor_roll ORDER BY name;
.tables
.schema honor_roll
DROP VIEW honor_roll;
.tables
