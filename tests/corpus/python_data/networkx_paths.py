import networkx as nx

g = nx.Graph()
g.add_weighted_edges_from([("a", "b", 4), ("a", "c", 2), ("c", "b", 1), ("b", "d", 5), ("c", "d", 8)])
print(nx.shortest_path(g, "a", "d", weight="weight"))
print(nx.shortest_path_length(g, "a", "d", weight="weight"))
print(sorted(nx.degree(g)))
print(nx.is_connected(g), nx.number_of_edges(g))
