-- Shell dot-commands agents rely on: .print, .tables, .schema, .indexes, .nullvalue, .echo, .show-ish checks
.print Setting up schema
CREATE TABLE alpha (id INTEGER PRIMARY KEY, label TEXT);
CREATE TABLE beta (id INTEGER PRIMARY KEY, alpha_id INTEGER REFERENCES alpha(id), amount REAL);
CREATE INDEX beta_alpha ON beta(alpha_id);
CREATE VIEW alpha_totals AS SELECT a.label, sum(b.amount) AS total FROM alpha a LEFT JOIN beta b ON b.alpha_id = a.id GROUP BY a.id;
INSERT INTO alpha VALUES (1,'x'),(2,'y');
INSERT INTO beta VALUES (1,1,2.5),(2,1,4),(3,NULL,1);
.print
.print == tables ==
.tables
.print == tables matching b% ==
.tables b%
.print == schema ==
.schema
.print == indexes ==
.indexes
.print == query with .nullvalue ==
.headers on
.nullvalue (none)
.mode column
SELECT * FROM alpha_totals ORDER BY label;
SELECT b.id, a.label FROM beta b LEFT JOIN alpha a ON a.id = b.alpha_id ORDER BY b.id;
.print "quoted print with   spaces" and 'single quotes'
.echo on
SELECT 1 + 1 AS two;
.echo off
SELECT 'echo off now';
