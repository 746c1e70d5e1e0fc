import numpy as np

n = 64
t = np.arange(n) / n
signal = np.sin(2 * np.pi * 5 * t) + 0.5 * np.sin(2 * np.pi * 12 * t)
spectrum = np.abs(np.fft.rfft(signal)) / (n / 2)
peaks = np.argsort(spectrum)[-2:][::-1]
for k in peaks:
    print(f"frequency {k}: amplitude {spectrum[k]:.3f}")
