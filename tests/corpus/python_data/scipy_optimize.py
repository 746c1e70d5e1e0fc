from scipy.optimize import brentq, minimize


def rosenbrock(p):
    x, y = p
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


result = minimize(rosenbrock, [-1.2, 1.0], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-8})
print([round(v, 4) for v in result.x], result.success)
root = brentq(lambda x: x**3 - 2 * x - 5, 2, 3)
print(f"root: {root:.6f}")
