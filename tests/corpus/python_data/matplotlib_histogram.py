import matplotlib.pyplot as plt
import numpy as np

data = np.random.default_rng(1).normal(size=500)
counts, edges, _ = plt.hist(data, bins=5)
print(counts.astype(int).tolist(), int(counts.sum()))
print(len(edges))
plt.close("all")
