import numpy as np
from sklearn.cluster import KMeans

points = np.array([[1, 1], [1.5, 2], [1, 1.5], [8, 8], [8.5, 9], [9, 8], [1, 8], [1.5, 8.5]])
km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(points)
centers = sorted(tuple(round(float(v), 3) for v in c) for c in km.cluster_centers_)
print(centers)
labels = km.labels_
print("same cluster:", labels[0] == labels[1] == labels[2], labels[3] == labels[4] == labels[5])
