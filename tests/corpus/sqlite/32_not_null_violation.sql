-- NOT NULL constraint violation
.mode list
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total REAL);
INSERT INTO orders (customer, total) VALUES ('acme', 10.5);
SELECT * FROM orders;
INSERT INTO orders (total) VALUES (3.0);
SELECT 'unreachable';
