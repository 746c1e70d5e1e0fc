import numpy as np

# 3x + y = 9, x + 2y = 8
a = np.array([[3, 1], [1, 2]])
b = np.array([9, 8])
x = np.linalg.solve(a, b)
print(x)
print(np.allclose(a @ x, b))
print("det:", round(np.linalg.det(a), 6))
print("inverse:\n", np.round(np.linalg.inv(a), 4))
