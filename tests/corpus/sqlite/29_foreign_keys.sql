-- Foreign keys with PRAGMA foreign_keys=ON: cascade works, then a violation stops the script
.headers on
.mode column
PRAGMA foreign_keys = ON;
PRAGMA foreign_keys;
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE
);
INSERT INTO authors VALUES (1, 'Austen'), (2, 'Orwell');
INSERT INTO books VALUES (1, 'Emma', 1), (2, 'Persuasion', 1), (3, '1984', 2);
DELETE FROM authors WHERE id = 2;
SELECT b.title, a.name FROM books b JOIN authors a ON a.id = b.author_id ORDER BY b.id;
PRAGMA foreign_key_list(books);
.print now inserting a book for a missing author
INSERT INTO books VALUES (4, 'Ghost Book', 99);
SELECT 'not reached';
