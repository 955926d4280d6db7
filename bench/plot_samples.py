#!/usr/bin/env python3
"""Plot the server's RSS and open descriptors from bench/attack.sh's samples.tsv files as one SVG.

    bench/plot_samples.py OUT.svg LABEL=samples.tsv [LABEL=samples.tsv ...]
"""
import sys

W, H, PAD = 720, 260, 50
COLORS = ["#c0392b", "#2471a3", "#7d3c98", "#1e8449"]


def read(path):
    rows = []
    with open(path) as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) >= 4 and c[1] != "-":
                rows.append((float(c[0]), float(c[1]), float(c[3])))
    return rows


def panel(series, index, title, y0):
    tmax = max(r[0] for _, rows in series for r in rows) or 1
    vmax = max(r[index] for _, rows in series for r in rows) or 1
    out = [f'<text x="{PAD}" y="{y0 - 8}" font-size="13">{title} (max {vmax:.0f})</text>',
           f'<rect x="{PAD}" y="{y0}" width="{W - 2 * PAD}" height="{H - 2 * PAD}" fill="none" stroke="#999"/>']
    for k, (label, rows) in enumerate(series):
        pts = " ".join(f"{PAD + r[0] / tmax * (W - 2 * PAD):.1f},{y0 + (H - 2 * PAD) * (1 - r[index] / vmax):.1f}"
                       for r in rows)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{COLORS[k % 4]}" stroke-width="1.5"/>')
        out.append(f'<text x="{W - PAD - 150}" y="{y0 + 16 + 14 * k}" font-size="12" fill="{COLORS[k % 4]}">{label}</text>')
    out.append(f'<text x="{PAD}" y="{y0 + H - 2 * PAD + 14}" font-size="11">0 s</text>')
    out.append(f'<text x="{W - PAD - 30}" y="{y0 + H - 2 * PAD + 14}" font-size="11">{tmax:.0f} s</text>')
    return out


def main():
    series = []
    for arg in sys.argv[2:]:
        label, path = arg.split("=", 1)
        series.append((label, read(path)))
    body = panel(series, 1, "server RSS, MiB", 30) + panel(series, 2, "server open file descriptors", 30 + H)
    with open(sys.argv[1], "w") as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{2 * H + 20}" '
                f'font-family="sans-serif">\n' + "\n".join(body) + "\n</svg>\n")


if __name__ == "__main__":
    main()
