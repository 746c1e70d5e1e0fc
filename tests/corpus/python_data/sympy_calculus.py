import sympy as sp

x = sp.symbols("x")
f = sp.sin(x) * sp.exp(x)
print(sp.diff(f, x))
print(sp.integrate(x**2 * sp.exp(-x), (x, 0, sp.oo)))
print(sp.solve(x**2 - 5 * x + 6, x))
print(sp.factor(x**3 - 1))
print(sp.limit(sp.sin(x) / x, x, 0))
