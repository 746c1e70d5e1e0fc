import numpy as np

scores = np.array([88, 92, 79, 93, 85, 78, 95, 88, 91, 84])
print("mean:", scores.mean())
print("median:", np.median(scores))
print("std:", round(scores.std(), 4))
print("max at index", scores.argmax())
print("above 90:", scores[scores > 90])
print("percentiles:", np.percentile(scores, [25, 50, 75]))
