import numpy as np
import statsmodels.api as sm

x = np.array([1, 2, 3, 4, 5, 6, 7, 8], dtype=float)
y = np.array([2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1])
model = sm.OLS(y, sm.add_constant(x)).fit()
print([round(v, 4) for v in model.params])
print(round(model.rsquared, 4))
