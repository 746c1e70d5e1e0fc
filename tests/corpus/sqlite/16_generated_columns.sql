-- Generated columns, VIRTUAL and STORED
.headers on
.mode table
CREATE TABLE rect (
  id INTEGER PRIMARY KEY,
  w REAL NOT NULL,
  h REAL NOT NULL,
  area REAL GENERATED ALWAYS AS (w * h) VIRTUAL,
  perimeter REAL AS (2 * (w + h)) STORED,
  label TEXT AS (printf('%gx%g', w, h))
);
INSERT INTO rect (w, h) VALUES (2, 3), (10, 0.5), (4, 4);
SELECT * FROM rect ORDER BY area DESC;
UPDATE rect SET w = w * 2 WHERE id = 1;
SELECT id, label, area, perimeter FROM rect WHERE id = 1;
CREATE INDEX rect_area ON rect(area);
SELECT label FROM rect WHERE area > 7 ORDER BY area;
