-- .mode json and .mode jsonlines-style output of mixed types
CREATE TABLE cities (name TEXT, country TEXT, pop INTEGER, area REAL, tags TEXT);
INSERT INTO cities VALUES ('Tokyo','JP',37400068,2194.07,'["big","capital"]'),('Zürich','CH',421878,87.88,NULL),('Quote "Town"','XX',0,0.5,'x\y');
.mode json
SELECT * FROM cities ORDER BY pop DESC;
SELECT count(*) AS n, sum(pop) AS total_pop FROM cities;
.mode list
SELECT json_group_array(json_object('name', name, 'pop', pop)) FROM cities;
