#!/usr/bin/env python3
"""The masks `deface` (CenterFace) would draw, in the JSON lines of `blazeface anonymize --masks`.

An optional comparison script, not part of the product: it runs in the virtual environment
scripts/deface_compare.sh makes outside the repository (pip: deface, onnxruntime). It calls
deface's own detector and mask geometry with deface's defaults (threshold 0.2, mask scale 1.3,
ellipses, the model at the image's own resolution) and writes one line per photo
({"path", "width", "height", "masks": [{"x", "y", "width", "height", "shape"}]}) or, for a video,
one line per frame ({"frame", "masks"}), for scripts/anonymize_coverage.py.

usage: deface_masks.py PHOTO_DIR OUT.jsonl            (photos, recursively, sorted by path)
       deface_masks.py --video CLIP.mp4 OUT.jsonl
"""
import json
import os
import sys
import time

import imageio.v2 as imageio
import numpy as np
from deface.centerface import CenterFace
from deface.deface import scale_bb

THRESHOLD, MASK_SCALE = 0.2, 1.3  # deface's defaults (--thresh, --mask-scale); ellipse masks


def masks_of(centerface, frame):
    dets, _ = centerface(frame, threshold=THRESHOLD)
    masks = []
    for d in dets:
        x1, y1, x2, y2 = scale_bb(*d[:4].astype(int), MASK_SCALE)
        h, w = frame.shape[:2]
        # deface clips the box to the frame before drawing the ellipse inside it.
        x1, y1, x2, y2 = max(0, x1), max(0, y1), min(w - 1, x2), min(h - 1, y2)
        if x2 > x1 and y2 > y1:
            masks.append({"x": int(x1), "y": int(y1), "width": int(x2 - x1), "height": int(y2 - y1), "shape": "ellipse"})
    return masks


def main():
    args = sys.argv[1:]
    # deface's default backend is "auto": onnxruntime when both `onnx` and `onnxruntime` are
    # installed, else OpenCV's DNN module, which `pip install deface` gives.
    centerface = CenterFace(in_shape=None, backend=os.environ.get("DEFACE_BACKEND", "auto"))
    start = time.time()
    n = 0
    if args and args[0] == "--video":
        clip, out = args[1], args[2]
        with open(out, "w") as f:
            for k, frame in enumerate(imageio.get_reader(clip)):
                f.write(json.dumps({"frame": k, "masks": masks_of(centerface, np.asarray(frame))}) + "\n")
                n += 1
    else:
        folder, out = args[0], args[1]
        paths = sorted(os.path.join(r, name) for r, _, files in os.walk(folder) for name in files
                       if name.lower().endswith((".jpg", ".jpeg", ".png")))
        with open(out, "w") as f:
            for p in paths:
                frame = imageio.imread(p)
                if frame.ndim == 2:
                    frame = np.stack([frame] * 3, axis=-1)
                frame = frame[..., :3]
                f.write(json.dumps({"path": p, "width": frame.shape[1], "height": frame.shape[0],
                                    "masks": masks_of(centerface, frame)}) + "\n")
                n += 1
    dt = time.time() - start
    print(f"deface ({centerface.backend}): {n} {'frames' if args[0] == '--video' else 'images'} in {dt:.1f} s, "
          f"{n / dt:.2f} per second (detection and masks only)", file=sys.stderr)


if __name__ == "__main__":
    main()
