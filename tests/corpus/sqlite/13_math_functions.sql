-- Math functions (SQLITE_ENABLE_MATH_FUNCTIONS): sqrt, pow, ln, log, floor, ceil, pi, trig
.headers on
.mode line
SELECT sqrt(2) AS sqrt2, pow(2, 10) AS pow_2_10, power(3, 0.5) AS pow_3_half,
  ln(10) AS ln10, log(100) AS log100, log2(1024) AS log2_1024, log(2, 8) AS log_2_8, exp(1) AS e,
  floor(-2.5) AS floor_neg, ceil(-2.5) AS ceil_neg, ceiling(2.1) AS ceiling_21, trunc(-7.9) AS trunc_neg,
  pi() AS pi, round(sin(pi() / 6), 10) AS sin30, round(cos(0), 10) AS cos0, round(degrees(pi()), 6) AS deg,
  round(radians(180), 12) AS rad, mod(17, 5) AS mod_17_5, abs(-42) AS abs_val, sign(-3.2) AS sign_neg,
  atan2(1, 1) * 4 AS pi_again, 7 / 2 AS int_div, 7 / 2.0 AS real_div, 7 % 3 AS remainder;
.mode column
.headers on
WITH pts(x, y) AS (VALUES (0,0),(3,4),(-1,1),(6,8))
SELECT x, y, sqrt(x*x + y*y) AS dist, round(degrees(atan2(y, x)), 2) AS angle FROM pts;
SELECT sqrt(-1) AS sqrt_neg, ln(0) AS ln_zero, 1/0 AS div_zero;
