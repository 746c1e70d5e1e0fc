import numpy as np

x = np.array([0, 1, 2, 3, 4, 5], dtype=float)
y = 2.5 * x**2 - 1.5 * x + 4
coeffs = np.polyfit(x, y, 2)
print(np.round(coeffs, 6))
p = np.poly1d(np.round(coeffs, 6))
print(p(10))
print(np.round(np.roots([1, -3, 2]), 6))
