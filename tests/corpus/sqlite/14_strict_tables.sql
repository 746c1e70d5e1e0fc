-- STRICT tables: type coercion that works, ANY column, then a type error (exits 1)
.headers on
.mode column
CREATE TABLE measurements (
  id INTEGER PRIMARY KEY,
  sensor TEXT NOT NULL,
  value REAL,
  raw ANY
) STRICT;
INSERT INTO measurements (sensor, value, raw) VALUES ('t1', 21.5, 'x'), ('t2', 19, 42), ('t3', '18.25', 1.5);
SELECT id, sensor, value, typeof(value) AS vtype, raw, typeof(raw) AS rtype FROM measurements;
.print inserting a bad value...
INSERT INTO measurements (sensor, value) VALUES ('t4', 'hot');
.print this line is never reached
