try:
    import numpy as np
except ImportError:
    np = None

values = [3, 1, 4, 1, 5, 9, 2, 6]
if np is not None:
    print("numpy", np.mean(values), np.sort(values).tolist())
else:
    print("pure python", sum(values) / len(values), sorted(values))
