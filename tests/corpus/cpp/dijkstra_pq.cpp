#include <climits>
#include <functional>
#include <iostream>
#include <queue>
#include <utility>
#include <vector>

using namespace std;

int main() {
    int n = 6;
    vector<vector<pair<int, int>>> adj(n);
    auto edge = [&](int a, int b, int w) { adj[a].push_back({b, w}); adj[b].push_back({a, w}); };
    edge(0, 1, 7); edge(0, 2, 9); edge(0, 5, 14); edge(1, 2, 10); edge(1, 3, 15);
    edge(2, 3, 11); edge(2, 5, 2); edge(3, 4, 6); edge(4, 5, 9);
    vector<int> dist(n, INT_MAX), prev(n, -1);
    priority_queue<pair<int, int>, vector<pair<int, int>>, greater<>> pq;
    dist[0] = 0;
    pq.push({0, 0});
    while (!pq.empty()) {
        auto [d, u] = pq.top();
        pq.pop();
        if (d > dist[u]) continue;
        for (auto [v, w] : adj[u]) {
            if (dist[u] + w < dist[v]) {
                dist[v] = dist[u] + w;
                prev[v] = u;
                pq.push({dist[v], v});
            }
        }
    }
    for (int v = 0; v < n; ++v) {
        cout << "node " << v << " dist " << dist[v] << " path";
        vector<int> path;
        for (int at = v; at != -1; at = prev[at]) path.push_back(at);
        for (auto it = path.rbegin(); it != path.rend(); ++it) cout << " " << *it;
        cout << "\n";
    }
    priority_queue<int> maxheap;
    for (int x : {5, 1, 8, 3}) maxheap.push(x);
    cout << "max " << maxheap.top() << "\n";
}
