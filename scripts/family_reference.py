#!/usr/bin/env python3
"""Optional: reference figures for MediaPipe's face detection family, from LiteRT's reference
kernels, on a deterministic input pattern (x[i] = ((i * 7919) % 255) / 127.5 - 1).

Prints, per model, what Tests/EngineTests/FamilyModelTests.swift asserts. Not part of the product
or the tests; run it in a virtual environment with `pip install ai-edge-litert numpy`:
    python3 scripts/family_reference.py models/face_detection_*.tflite
"""
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

for path in sys.argv[1:]:
    it = Interpreter(model_path=path, experimental_op_resolver_type=OpResolverType.BUILTIN_REF, num_threads=1)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    n = int(np.prod(inp["shape"]))
    x = ((np.arange(n, dtype=np.int64) * 7919) % 255).astype(np.float32) / np.float32(127.5) - np.float32(1)
    it.set_tensor(inp["index"], x.reshape(inp["shape"]))
    it.invoke()
    outs = {tuple(d["shape"]): it.get_tensor(d["index"]) for d in it.get_output_details()}
    scores = [v for k, v in outs.items() if k[-1] == 1][0].reshape(-1)
    regs = [v for k, v in outs.items() if k[-1] == 16][0].reshape(len(scores), 16)
    best = int(np.argmax(scores))
    print(path)
    print("  anchors", len(scores), "best", best, "logit %.6f" % scores[best])
    print("  regressors", ", ".join("%.5f" % v for v in regs[best]))
    print("  sum|scores| %.4f  sum|regressors| %.4f" % (np.abs(scores.astype(np.float64)).sum(), np.abs(regs.astype(np.float64)).sum()))
