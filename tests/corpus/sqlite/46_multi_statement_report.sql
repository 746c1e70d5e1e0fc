-- A step-by-step report script mixing .print headings, several modes and a final summary
.print # Library report
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, author TEXT, year INTEGER, pages INTEGER, genre TEXT);
INSERT INTO books (title, author, year, pages, genre) VALUES
  ('Dune','Herbert',1965,412,'sf'),('Neuromancer','Gibson',1984,271,'sf'),('Emma','Austen',1815,474,'classic'),
  ('Persuasion','Austen',1817,249,'classic'),('The Hobbit','Tolkien',1937,310,'fantasy'),
  ('The Silmarillion','Tolkien',1977,365,'fantasy'),('Foundation','Asimov',1951,255,'sf');
.print
.print ## Books per genre
.mode markdown
.headers on
SELECT genre, count(*) AS books, sum(pages) AS pages, min(year) AS oldest FROM books GROUP BY genre ORDER BY books DESC, genre;
.print
.print ## Authors with more than one book
.mode list
.separator ": " "\n"
.headers off
SELECT author, group_concat(title, ', ' ORDER BY year) FROM books GROUP BY author HAVING count(*) > 1 ORDER BY author;
.print
.print ## Longest book per decade
.mode table
.headers on
SELECT ((year / 10) * 10) || 's' AS decade, title, pages FROM (
  SELECT *, rank() OVER (PARTITION BY year / 10 ORDER BY pages DESC) AS r FROM books
) WHERE r = 1 ORDER BY decade;
.print
.print ## Summary
.mode line
SELECT count(*) AS total_books, sum(pages) AS total_pages, round(avg(pages), 1) AS avg_pages,
  (SELECT title FROM books ORDER BY pages DESC LIMIT 1) AS longest, max(year) - min(year) AS year_span FROM books;
