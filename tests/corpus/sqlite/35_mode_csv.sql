-- .mode csv with headers, quoting of commas/quotes/newlines, and .separator for TSV
CREATE TABLE people (name TEXT, note TEXT, score REAL);
INSERT INTO people VALUES ('Smith, John', 'said "hi"', 9.5), ('Lee', 'line1
line2', NULL), ('O''Neil', 'plain', 7);
.headers on
.mode csv
SELECT * FROM people ORDER BY name;
.headers off
SELECT name, score FROM people WHERE score IS NOT NULL ORDER BY score;
.mode tabs
.headers on
SELECT name, score FROM people ORDER BY name;
.mode list
.separator ";" "\n"
SELECT name, score FROM people ORDER BY name;
.separator "|"
SELECT 'pipe', 'separated';
