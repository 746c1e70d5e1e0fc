from scipy import stats

control = [12.1, 11.8, 12.5, 12.0, 11.9, 12.3, 12.2]
treated = [12.9, 13.1, 12.7, 13.4, 12.8, 13.0, 13.2]
t, p = stats.ttest_ind(control, treated)
print(f"t = {t:.4f}, p = {p:.2e}")
print("significant" if p < 0.05 else "not significant")
r, p_r = stats.pearsonr([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
print(f"r = {r:.4f}")
print(f"normal cdf(1.96) = {stats.norm.cdf(1.96):.4f}")
