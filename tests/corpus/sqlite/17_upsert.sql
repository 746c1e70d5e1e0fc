-- UPSERT with ON CONFLICT DO UPDATE / DO NOTHING and excluded.
.headers on
.mode column
CREATE TABLE inventory (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL, updated TEXT);
INSERT INTO inventory VALUES ('A1', 10, '2024-01-01'), ('B2', 5, '2024-01-01');
INSERT INTO inventory (sku, qty, updated) VALUES ('A1', 3, '2024-01-02')
  ON CONFLICT(sku) DO UPDATE SET qty = qty + excluded.qty, updated = excluded.updated;
INSERT INTO inventory (sku, qty, updated) VALUES ('C3', 7, '2024-01-02')
  ON CONFLICT(sku) DO UPDATE SET qty = qty + excluded.qty;
INSERT INTO inventory (sku, qty, updated) VALUES ('B2', 100, '2024-01-03') ON CONFLICT DO NOTHING;
INSERT OR REPLACE INTO inventory VALUES ('B2', 6, '2024-01-04');
SELECT * FROM inventory ORDER BY sku;
CREATE TABLE wordcount (word TEXT PRIMARY KEY, n INTEGER DEFAULT 1);
INSERT INTO wordcount (word) VALUES ('the'),('cat'),('the'),('hat'),('the'),('cat')
  ON CONFLICT(word) DO UPDATE SET n = n + 1;
SELECT word, n FROM wordcount ORDER BY n DESC, word;
SELECT changes() AS last_changes, total_changes() AS total;
