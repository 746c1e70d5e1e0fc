#include <cstdio>
#include <algorithm>
#include <string>
#include <vector>
using namespace std;

typedef long long ll;

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    vector<ll> a(n);
    for (auto& x : a) scanf("%lld", &x);
    // longest increasing subsequence, O(n log n)
    vector<ll> tails;
    for (ll x : a) {
        auto it = lower_bound(tails.begin(), tails.end(), x);
        if (it == tails.end()) tails.push_back(x); else *it = x;
    }
    printf("LIS %zu\n", tails.size());
    // max subarray (Kadane)
    ll best = a[0], cur = 0;
    for (ll x : a) { cur = max(x, cur + x); best = max(best, cur); }
    printf("max subarray %lld\n", best);
    char s1[64], s2[64];
    scanf("%63s %63s", s1, s2);
    string x = s1, y = s2;
    vector<vector<int>> dp(x.size() + 1, vector<int>(y.size() + 1));
    for (size_t i = 1; i <= x.size(); ++i)
        for (size_t j = 1; j <= y.size(); ++j)
            dp[i][j] = x[i - 1] == y[j - 1] ? dp[i - 1][j - 1] + 1 : max(dp[i - 1][j], dp[i][j - 1]);
    printf("LCS %d\n", dp[x.size()][y.size()]);
    // 0/1 knapsack
    int W = 10;
    int wt[] = {5, 4, 6, 3}, val[] = {10, 40, 30, 50};
    vector<int> k(W + 1);
    for (int i = 0; i < 4; ++i)
        for (int w = W; w >= wt[i]; --w) k[w] = max(k[w], k[w - wt[i]] + val[i]);
    printf("knapsack %d\n", k[W]);
}
