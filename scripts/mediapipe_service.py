#!/usr/bin/env python3
"""Optional peer for scripts/serve_load.sh: MediaPipe's face detector (legacy solutions API,
short-range front model bundled in the mediapipe 0.10.21 wheel) behind FastAPI/uvicorn, with the
same endpoint shape as `blazeface serve`: POST /v1/detect with the image as the body answers
{"width", "height", "faces": [{"score", "box": {x, y, width, height}}]}.

Not part of the product or the tests; runs from its own venv outside the repository. Run with
several uvicorn workers (processes) for the machine's cores: one detector per process, used
under a lock (a FaceDetection graph is not thread-safe).
"""
import threading

import cv2
import numpy as np
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from mediapipe.python.solutions import face_detection

cv2.setNumThreads(1)
app = FastAPI()
detector = face_detection.FaceDetection(model_selection=0, min_detection_confidence=0.5)
lock = threading.Lock()


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.post("/v1/detect")
async def detect(request: Request):
    body = await request.body()
    image = cv2.imdecode(np.frombuffer(body, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        return JSONResponse({"error": {"code": "unsupported_image", "message": "cannot decode"}}, status_code=415)
    rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    with lock:
        result = detector.process(rgb)
    faces = []
    for d in result.detections or []:
        b = d.location_data.relative_bounding_box
        faces.append({"score": d.score[0], "box": {"x": b.xmin * w, "y": b.ymin * h, "width": b.width * w, "height": b.height * h}})
    return {"width": w, "height": h, "faces": faces}
