-- CHECK constraint violation (named constraint), with output before the failure
.headers on
.mode column
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  price REAL CONSTRAINT positive_price CHECK (price > 0),
  stock INTEGER CHECK (stock >= 0)
);
INSERT INTO products (name, price, stock) VALUES ('pen', 1.5, 100), ('book', 12.0, 3);
SELECT * FROM products;
UPDATE products SET price = -1 WHERE name = 'pen';
SELECT 'unreachable';
