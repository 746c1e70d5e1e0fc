-- INNER / LEFT joins across customers, orders and products
.headers on
.mode box
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT);
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, product_id INTEGER, qty INTEGER);
INSERT INTO customers VALUES (1,'Ann','Paris'),(2,'Ben','Berlin'),(3,'Cid','Rome'),(4,'Dee','Oslo');
INSERT INTO products VALUES (1,'Widget',2.50),(2,'Gadget',10.00),(3,'Doohickey',7.25);
INSERT INTO orders VALUES (1,1,1,4),(2,1,2,1),(3,2,3,2),(4,3,1,10),(5,3,3,1),(6,2,2,3);
SELECT c.name AS customer, p.name AS product, o.qty, printf('%.2f', o.qty * p.price) AS total
FROM orders o
JOIN customers c ON c.id = o.customer_id
JOIN products p ON p.id = o.product_id
ORDER BY c.name, p.name;
SELECT c.name, count(o.id) AS orders, coalesce(sum(o.qty * p.price), 0) AS spent
FROM customers c
LEFT JOIN orders o ON o.customer_id = c.id
LEFT JOIN products p ON p.id = o.product_id
GROUP BY c.id
ORDER BY spent DESC, c.name;
