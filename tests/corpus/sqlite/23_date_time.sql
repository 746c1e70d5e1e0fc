-- Date/time functions with fixed dates: date modifiers, strftime, julianday, unixepoch, timediff
.headers on
.mode line
SELECT date('2024-02-29', '+1 year') AS leap_plus_year,
  date('2024-01-31', '+1 month') AS jan31_plus_month,
  date('2024-03-15', 'start of month', '-1 day') AS end_of_feb,
  date('2024-07-04', 'weekday 0') AS next_sunday,
  datetime('2024-01-01 12:30:00', '+90 minutes') AS plus_90min,
  time('13:45:10', '-15 seconds') AS time_minus,
  strftime('%Y/%m/%d %H:%M', '2023-12-25 08:05:00') AS xmas,
  strftime('%j', '2024-12-31') AS day_of_year, strftime('%W', '2024-06-15') AS week,
  strftime('%s', '2000-01-01') AS epoch2000, strftime('%w %u %F %T %V %p', '2024-01-01 13:05:00') AS weekday_str,
  julianday('2024-01-01') AS jd, julianday('2024-12-25') - julianday('2024-01-01') AS days_between,
  unixepoch('2024-01-01') AS unix2024, datetime(1700000000, 'unixepoch') AS from_unix,
  date('2024-01-01', '+' || 100 || ' days') AS plus_100d,
  timediff('2024-03-01', '2024-02-01') AS td_month, timediff('2025-06-15 12:00:00', '2024-01-01 00:00:00') AS td_long,
  date('2024-06-15', 'start of year') AS soy, strftime('%Y-Q', '2024-08-20') || ((cast(strftime('%m', '2024-08-20') AS INTEGER) + 2) / 3) AS quarter,
  date('not a date') AS bad_date;
.mode column
CREATE TABLE trips (id INTEGER PRIMARY KEY, start TEXT, finish TEXT);
INSERT INTO trips (start, finish) VALUES ('2024-05-01 08:00','2024-05-03 17:30'),('2024-05-10 22:15','2024-05-11 06:45');
SELECT id, round((julianday(finish) - julianday(start)) * 24, 2) AS hours,
  (unixepoch(finish) - unixepoch(start)) / 60 AS minutes FROM trips;
