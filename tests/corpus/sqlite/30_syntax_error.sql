-- A script with a syntax error part-way through: output before the error, then exit 1
.headers on
CREATE TABLE t (a INTEGER, b TEXT);
INSERT INTO t VALUES (1, 'one'), (2, 'two');
SELECT a, b FROM t ORDER BY a;
SELECT a, b FROM t WHERE a = 1 ORDER BY;
SELECT 'never printed';
