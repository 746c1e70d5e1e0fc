import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(0)
x = np.vstack([rng.normal(0, 1, (50, 2)), rng.normal(3, 1, (50, 2))])
y = np.array([0] * 50 + [1] * 50)
pipe = make_pipeline(StandardScaler(), LogisticRegression())
pipe.fit(x, y)
print("accuracy:", pipe.score(x, y))
print(pipe.predict([[0, 0], [3, 3]]))
