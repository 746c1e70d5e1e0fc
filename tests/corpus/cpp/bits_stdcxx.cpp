#include <bits/stdc++.h>
using namespace std;

#define all(x) (x).begin(), (x).end()
typedef long long ll;
typedef pair<int, int> pii;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n, q;
    cin >> n >> q;
    vector<ll> a(n), pre(n + 1, 0);
    for (auto& x : a) cin >> x;
    partial_sum(all(a), pre.begin() + 1);
    while (q--) {
        int l, r;
        cin >> l >> r;
        cout << pre[r] - pre[l - 1] << '\n';
    }
    vector<pii> pts{{3, 1}, {1, 2}, {3, 0}, {2, 5}};
    sort(all(pts));
    for (auto [x, y] : pts) cout << x << ',' << y << ' ';
    cout << '\n';
    set<int> s(all(a));
    cout << s.size() << ' ' << *s.rbegin() << ' ' << gcd(84LL, *max_element(all(a))) << '\n';
    bitset<8> b(37);
    cout << b << ' ' << b.count() << '\n';
    cout << fixed << setprecision(4) << accumulate(all(a), 0.0) / n << '\n';
}
