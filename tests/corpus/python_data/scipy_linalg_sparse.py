import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve

matrix = sparse.diags([[-1.0] * 4, [2.0] * 5, [-1.0] * 4], [-1, 0, 1], format="csr")
print(matrix.toarray())
x = spsolve(matrix, np.ones(5))
print(np.round(x, 4))
print("non-zeros:", matrix.nnz)
