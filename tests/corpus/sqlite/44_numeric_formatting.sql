-- Floating point and integer edge cases: rounding, big integers, overflow to real, printf precision
.mode line
SELECT 0.1 + 0.2 AS float_sum, 1.0 / 3 AS third, round(2.5) AS round_half, round(-2.5) AS round_neg_half,
  round(1.005, 2) AS round_1005, 9223372036854775807 AS max_int, 9223372036854775807 + 1 AS overflow,
  -9223372036854775808 AS min_int, 2.0e308 * 10 AS inf, -1e999 AS neg_inf, 1e-320 AS denormal,
  123456789012345678 * 10.0 AS big_real, 100.0 AS hundred, 1e15 AS e15, 1e16 AS e16, 12345.6789e-3 AS sci,
  printf('%.15g', 0.1) AS g15, printf('%.17g', 0.1) AS g17, printf('%.20f', 0.1) AS f20,
  printf('%d', 3.99) AS d_trunc, printf('%,d', -1234567) AS grouped, printf('%10.3e', 6.02214076e23) AS avogadro,
  CAST(1e20 AS INTEGER) AS cast_big, CAST('0x1F' AS INTEGER) AS cast_hex_text, 0x1F AS hex_literal,
  1_000_000 AS underscore_literal, 5 / 0.0 AS div_zero_real, typeof(5 / 0.0) AS div_type;
.mode column
.headers on
SELECT x, x * 1.1 AS times_1_1, round(x * 1.1, 2) AS rounded, CAST(x * 1.1 AS INTEGER) AS truncated
FROM (SELECT column1 AS x FROM (VALUES (1), (3), (10), (99), (12345)));
SELECT sum(v) AS exact_sum, total(v) AS total_sum, avg(v) AS mean FROM (SELECT column1 AS v FROM (VALUES (0.1), (0.2), (0.3), (0.4)));
