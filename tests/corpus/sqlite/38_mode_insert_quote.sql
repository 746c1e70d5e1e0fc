-- .mode insert (SQL INSERT statements), .mode quote, and .dump of a small table
CREATE TABLE kv (k TEXT PRIMARY KEY, v, n REAL);
INSERT INTO kv VALUES ('a', 'it''s', 1.5), ('b', NULL, 2), ('c', x'DEADBEEF', -0.25), ('d', 42, 1e10);
.mode insert kv_copy
SELECT * FROM kv ORDER BY k;
.mode quote
.headers on
SELECT k, v, n FROM kv ORDER BY k;
.headers off
.mode list
.dump kv
