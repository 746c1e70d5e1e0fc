import math

from scipy.integrate import quad, solve_ivp

area, _ = quad(lambda x: math.exp(-x * x), -math.inf, math.inf)
print(f"{area:.6f} vs sqrt(pi) = {math.sqrt(math.pi):.6f}")
solution = solve_ivp(lambda t, y: -0.5 * y, (0, 4), [8.0], t_eval=[0, 1, 2, 4], rtol=1e-9, atol=1e-9)
print([round(v, 4) for v in solution.y[0]])
