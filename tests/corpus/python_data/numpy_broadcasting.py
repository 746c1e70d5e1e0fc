import numpy as np

grid = np.arange(12).reshape(3, 4)
print(grid)
print(grid * np.array([1, 10, 100, 1000]))
print(grid.sum(axis=0), grid.sum(axis=1))
print(grid.T.shape, grid.ravel()[::3])
normalized = (grid - grid.mean(axis=0)) / grid.std(axis=0)
print(np.round(normalized, 3))
