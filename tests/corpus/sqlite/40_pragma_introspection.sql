-- Introspection via PRAGMA table_info / table_xinfo and sqlite_schema / pragma functions
.headers on
.mode column
CREATE TABLE invoice (
  id INTEGER PRIMARY KEY,
  customer TEXT NOT NULL DEFAULT 'walk-in',
  total NUMERIC CHECK (total >= 0),
  tax REAL AS (total * 0.2),
  issued TEXT
);
PRAGMA table_info(invoice);
PRAGMA table_xinfo(invoice);
SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info('invoice') WHERE pk = 0 ORDER BY cid;
SELECT type, name, tbl_name FROM sqlite_schema ORDER BY name;
SELECT typeof(1), typeof(1.0), typeof('1'), typeof(x'01'), typeof(NULL), typeof(CAST('12abc' AS INTEGER)), CAST('3.9' AS INTEGER), CAST(12 AS TEXT) || 'x';
