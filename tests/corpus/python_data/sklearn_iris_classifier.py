from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

iris = load_iris()
x_train, x_test, y_train, y_test = train_test_split(
    iris.data, iris.target, test_size=0.3, random_state=0, stratify=iris.target
)
clf = DecisionTreeClassifier(max_depth=3, random_state=0).fit(x_train, y_train)
print("train size", len(x_train), "test size", len(x_test))
print("accuracy", round(clf.score(x_test, y_test), 3))
print("classes", list(iris.target_names))
