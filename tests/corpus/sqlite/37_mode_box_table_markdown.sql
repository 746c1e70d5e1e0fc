-- Tabular display modes: box, table, markdown, column with .width, line
CREATE TABLE planets (name TEXT, moons INTEGER, gravity REAL, note TEXT);
INSERT INTO planets VALUES ('Mercury',0,3.7,NULL),('Earth',1,9.807,'home'),('Jupiter',95,24.79,'gas giant'),('Mars',2,3.721,'red');
.headers on
.mode box
SELECT * FROM planets ORDER BY moons;
.mode table
SELECT name, moons FROM planets WHERE moons > 0 ORDER BY name;
.mode markdown
SELECT name, gravity FROM planets ORDER BY gravity DESC;
.mode column
.width 10 -6 8
SELECT name, moons, gravity FROM planets ORDER BY name;
.width
.mode line
SELECT name, note FROM planets WHERE name = 'Earth';
.mode box --wrap 12
SELECT 'a rather long piece of text that needs wrapping in the box' AS long_text, 42 AS n;
