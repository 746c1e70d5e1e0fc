import numpy as np

rng = np.random.default_rng(42)
rolls = rng.integers(1, 7, size=1000)
counts = np.bincount(rolls, minlength=7)[1:]
print(counts, counts.sum())
sample = rng.normal(loc=10, scale=2, size=5)
print(np.round(sample, 4))
print(rng.choice(["a", "b", "c"], size=6))
perm = rng.permutation(8)
print(perm)
