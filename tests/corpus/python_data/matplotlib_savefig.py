import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(4, 3))
ax.plot([1, 2, 3, 4], [1, 4, 9, 16], marker="o", label="squares")
ax.set_title("Squares")
ax.legend()
fig.savefig("chart.png", dpi=50)
with open("chart.png", "rb") as f:
    print(f.read(8) == b"\x89PNG\r\n\x1a\n")
print(os.path.getsize("chart.png") > 1000)
print(ax.get_title(), len(ax.lines))
