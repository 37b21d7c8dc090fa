#!/usr/bin/env python3
"""Optional peer measurement: MediaPipe's face detector (legacy solutions API, short-range front
model bundled in the mediapipe 0.10.21 wheel) from JPEG file to faces, one thread, over a folder.

Not part of the product or the tests. Prints JSON: images, faces, seconds, images_per_second
(best of `passes`). Usage: bench_mediapipe.py FOLDER [passes]
"""
import json
import os
import sys
import time

import cv2
from mediapipe.python.solutions import face_detection

cv2.setNumThreads(1)
folder = sys.argv[1]
passes = int(sys.argv[2]) if len(sys.argv) > 2 else 3
paths = sorted(os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs if f.lower().endswith((".jpg", ".jpeg", ".png")))
best = None
faces = 0
with face_detection.FaceDetection(model_selection=0, min_detection_confidence=0.5) as detector:
    for p in paths[:5]:  # warm up
        detector.process(cv2.cvtColor(cv2.imread(p), cv2.COLOR_BGR2RGB))
    for _ in range(passes):
        t0 = time.perf_counter()
        n = 0
        for p in paths:
            result = detector.process(cv2.cvtColor(cv2.imread(p), cv2.COLOR_BGR2RGB))
            n += len(result.detections or [])
        dt = time.perf_counter() - t0
        if best is None or dt < best:
            best, faces = dt, n
print(json.dumps({"runtime": "mediapipe", "images": len(paths), "faces": faces, "seconds": best,
                  "images_per_second": len(paths) / best}))
