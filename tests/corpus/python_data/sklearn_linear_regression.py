import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score

x = np.array([[1], [2], [3], [4], [5], [6]])
y = np.array([3.1, 4.9, 7.2, 8.8, 11.1, 12.9])
model = LinearRegression().fit(x, y)
print(f"slope {model.coef_[0]:.4f}, intercept {model.intercept_:.4f}")
print(f"r2 {r2_score(y, model.predict(x)):.4f}")
print(f"prediction for 10: {model.predict([[10]])[0]:.3f}")
