#!/usr/bin/env python3
"""Anonymization coverage of WIDER FACE faces (standard library only; not part of the product).

Reads the masks `blazeface anonymize --masks FILE` logged (one JSON line per photo) and the WIDER
ground truth, and prints:
  - recall: the share of ground-truth faces (easy, medium, all valid) whose box is at least
    --cover (default 90 %) covered by the union of the masks, counted on pixel centres;
  - cost: the share of masked pixels that lie in no ground-truth box (any face, hard ones too).

usage: anonymize_coverage.py MASKS.jsonl [--wider DIR] [--cover 0.9] [--label NAME]
       anonymize_coverage.py MASKS.jsonl --video KEY --source-width W --source-height H [--frames 250]
         (masks logged per frame for a clip made as below: the photo KEY cropped
         to 16:9 around its centre, scaled to 1280x720, then zoompan z=1+0.001*on,
         x=(iw-iw/zoom)*on/FRAMES, y=(ih-ih/zoom)/2; prints the share of face-frames left unmasked,
         the share of the masked area that is no face, and the masked area per frame)
       The clip of docs/anonymization.md (WIDER dev 0--Parade/0_Parade_Parade_0_194.jpg, 1024x1388):
         ffmpeg -loop 1 -i 0_Parade_Parade_0_194.jpg -vf "crop=1024:576:0:406,scale=1280:720,zoompan=
         z='1+0.001*on':x='(iw-iw/zoom)*on/250':y='(ih-ih/zoom)/2':d=1:s=1280x720:fps=25" -frames:v 250
         -c:v libx264 -pix_fmt yuv420p -crf 18 zoompan.mp4
"""
import argparse
import json
import math
import os
import sys


def read_gt(path):
    gt, lines, i = {}, open(path).read().split("\n"), 0
    while i < len(lines):
        name = lines[i].strip()
        if not name:
            i += 1
            continue
        n = int(lines[i + 1])
        boxes = []
        for k in range(max(n, 1) if n == 0 else n):
            f = lines[i + 2 + k].split()
            if n > 0:
                boxes.append([int(v) for v in f[:10]])
        gt[name] = boxes
        i += 2 + max(n, 1)
    return gt


def read_keep(path):
    keep = {}
    for line in open(path):
        f = line.split()
        if f:
            keep[f[0]] = set(int(v) for v in f[2:])
    return keep


def row_intervals(masks, y):
    """Pixel-centre x intervals [a, b) covered by the masks on row y, merged."""
    py = y + 0.5
    out = []
    for m in masks:
        x, top, w, h = m["x"], m["y"], m["width"], m["height"]
        if w <= 0 or h <= 0 or py < top or py >= top + h:
            continue
        if m["shape"] == "box":
            lo, hi = x, x + w
        else:
            rx, ry = w / 2, h / 2
            dy = (py - top - ry) / ry
            if dy * dy > 1:
                continue
            half = rx * math.sqrt(1 - dy * dy)
            lo, hi = x + rx - half, x + rx + half
        # pixels whose centre px+0.5 lies in [lo, hi]
        a, b = math.ceil(lo - 0.5), math.floor(hi - 0.5) + 1
        if b > a:
            out.append((a, b))
    return merge(out)


def merge(intervals):
    """Sorted, merged [a, b) intervals."""
    merged = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def overlap(intervals, a, b):
    return sum(max(0, min(b, y) - max(a, x)) for x, y in intervals)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("masks")
    ap.add_argument("--wider", default=os.path.join(os.path.dirname(__file__), "../../shared/data/wider_face"))
    ap.add_argument("--cover", type=float, default=0.9)
    ap.add_argument("--label", default="")
    ap.add_argument("--video")
    ap.add_argument("--source-width", type=int)
    ap.add_argument("--source-height", type=int)
    ap.add_argument("--frames", type=int, default=250)
    args = ap.parse_args()
    if args.video:
        return video(args)
    split = os.path.join(args.wider, "wider_face_split")
    gt = read_gt(os.path.join(split, "wider_face_val_bbx_gt.txt"))
    keep = {s: read_keep(os.path.join(split, f"keep_{s}.txt")) for s in ("easy", "medium")}
    counts = {s: [0, 0] for s in ("easy", "medium", "all")}
    masked = nonface = 0
    images = 0
    for line in open(args.masks):
        rec = json.loads(line)
        path = rec["path"]
        key = path.split("images/")[-1] if "images/" in path else path
        if key not in gt:
            continue
        images += 1
        masks, boxes = rec["masks"], gt[key]
        W, H = rec.get("width", 10**6), rec.get("height", 10**6)
        for idx, b in enumerate(boxes, start=1):
            x, y, w, h, invalid = b[0], b[1], b[2], b[3], b[7]
            if w <= 0 or h <= 0:
                continue
            covered = sum(overlap(row_intervals(masks, r), x, x + w) for r in range(y, y + h))
            hit = covered >= args.cover * w * h
            sets = []
            if invalid == 0:
                sets.append("all")
            for s in ("easy", "medium"):
                if idx in keep[s].get(key, ()):
                    sets.append(s)
            for s in sets:
                counts[s][0] += hit
                counts[s][1] += 1
        area, outside = non_face_area(masks, [bx[:4] for bx in boxes if bx[2] > 0 and bx[3] > 0], W, H)
        masked += area
        nonface += outside
    label = (args.label + ": ") if args.label else ""
    parts = [f"{s} {c[0] / c[1]:.3f} ({c[0]}/{c[1]})" if c[1] else f"{s} -" for s, c in counts.items()]
    print(f"{label}{images} images; faces >= {args.cover:.0%} masked: " + ", ".join(parts)
          + f"; masked area not face: {nonface / masked:.3f}" if masked else "")


def video(args):
    gt = read_gt(os.path.join(args.wider, "wider_face_split", "wider_face_val_bbx_gt.txt"))[args.video]
    W, H = args.source_width, args.source_height
    crop_h = W * 9 / 16
    y0 = (H - crop_h) / 2
    f = 1280 / W
    frames = {}
    for line in open(args.masks):
        rec = json.loads(line)
        frames[rec["frame"]] = rec["masks"]
    missed = total = masked = nonface = 0
    worst = {}
    for n in range(args.frames):
        z = 1 + 0.001 * n
        X = (1280 - 1280 / z) * n / args.frames
        Y = (720 - 720 / z) / 2
        masks = frames.get(n, [])
        boxes = [(((b[0] * f - X) * z), ((b[1] - y0) * f - Y) * z, b[2] * f * z, b[3] * f * z) for b in gt if b[2] > 0 and b[3] > 0]
        a, b = non_face_area(masks, boxes, 1280, 720)
        masked += a
        nonface += b
        for i, b in enumerate(gt):
            if b[2] <= 0 or b[3] <= 0 or b[7]:
                continue
            x = ((b[0] - 0) * f - X) * z
            y = ((b[1] - y0) * f - Y) * z
            w, h = b[2] * f * z, b[3] * f * z
            xa, xb, ya, yb = max(0, round(x)), min(1280, round(x + w)), max(0, round(y)), min(720, round(y + h))
            if xb - xa < 4 or yb - ya < 4 or (xb - xa) * (yb - ya) < 0.5 * w * h:
                continue  # mostly outside the frame
            covered = sum(overlap(row_intervals(masks, r), xa, xb) for r in range(ya, yb))
            total += 1
            if covered < args.cover * (xb - xa) * (yb - ya):
                missed += 1
                worst[i] = worst.get(i, 0) + 1
    label = (args.label + ": ") if args.label else ""
    per_face = ", ".join(f"face {i}: {c}" for i, c in sorted(worst.items()))
    print(f"{label}{len(frames)} frames; face-frames < {args.cover:.0%} masked: {missed}/{total} = {missed / max(1, total):.4f}"
          + (f" ({per_face})" if per_face else "")
          + f"; masked area not face: {nonface / max(1, masked):.3f}; mean masked area {masked / max(1, len(frames)) / (1280 * 720):.2%} of a frame")


def non_face_area(masks, boxes, W, H):
    """Pixels of a W x H image under the masks, and those of them in no box (x, y, w, h)."""
    if not masks:
        return 0, 0
    area = outside = 0
    top = max(0, int(min(m["y"] for m in masks)))
    bottom = min(H, int(max(m["y"] + m["height"] for m in masks)) + 1)
    for r in range(top, bottom):
        iv = [(max(0, a), min(W, b)) for a, b in row_intervals(masks, r)]
        covered = sum(max(0, b - a) for a, b in iv)
        if covered == 0:
            continue
        face = merge((round(x), round(x + w)) for x, y, w, h in boxes if round(y) <= r < round(y + h))
        area += covered
        outside += covered - sum(overlap(face, a, b) for a, b in iv)
    return area, outside


if __name__ == "__main__":
    sys.exit(main())
