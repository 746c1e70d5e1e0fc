-- STRICT table rejects a text value in an INTEGER column (error exit)
CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, label TEXT) STRICT;
INSERT INTO items (qty, label) VALUES (5, 'ok');
INSERT INTO items (qty, label) VALUES ('10', 'numeric text is coerced');
SELECT qty, typeof(qty), label FROM items;
INSERT INTO items (qty, label) VALUES ('ten', 'bad');
SELECT 'unreachable';
