#!/usr/bin/env python3
"""Optional proof that a model made by `blazeface quantize` is right for TensorFlow Lite: LiteRT's
reference kernels (OpResolverType.BUILTIN_REF, all tensors preserved) load the file, and every
int8 tensor they produce equals, byte for byte, what `blazeface run MODEL --dump DIR --all-tensors`
writes for the same input. Float outputs are compared too (reported, with their largest difference).

Not part of the product or the tests; scripts/quantize_check.sh makes its virtual environment
(ai-edge-litert, numpy, pillow) outside the repository and runs it:
    scripts/quantize_check.sh OUT.tflite INPUT...

INPUT: a golden case folder (manifest.json + tensors.bin; its float32 `input` entry), a .npy
float32 input, or a photo (letterboxed to the model's input with Pillow, x/127.5-1 or x/255 as
the model's input QUANTIZE says; any input will do, both runtimes get the same one).
Exit status 0 when every int8 tensor of every input is identical.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType


def golden_input(folder):
    manifest = json.load(open(os.path.join(folder, "manifest.json")))
    blob = open(os.path.join(folder, "tensors.bin"), "rb").read()
    for t in manifest["tensors"]:
        if t["kind"] == "input":
            a = np.frombuffer(blob[t["offset"]:t["offset"] + t["nbytes"]], dtype=np.float32)
            return a.reshape(t["shape"])
    raise SystemExit(f"{folder}: no input entry in manifest.json")


def photo_input(path, shape, unit):
    from PIL import Image
    n = shape[1]
    im = Image.open(path).convert("RGB")
    w, h = im.size
    s = n / max(w, h)
    iw, ih = max(1, round(w * s)), max(1, round(h * s))
    canvas = Image.new("RGB", (n, n))
    canvas.paste(im.resize((iw, ih), Image.BILINEAR), ((n - iw) // 2, (n - ih) // 2))
    x = np.asarray(canvas, dtype=np.float32)
    x = x / np.float32(255) if unit else x / np.float32(127.5) - np.float32(1)
    return x.reshape(shape)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--blazeface=")]
    binary = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--blazeface=")), ".build/release/blazeface")
    if len(args) < 2:
        raise SystemExit(__doc__)
    model, inputs = args[0], args[1:]
    it = Interpreter(model_path=model, experimental_op_resolver_type=OpResolverType.BUILTIN_REF,
                     experimental_preserve_all_tensors=True, num_threads=1)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    shape = list(inp["shape"])
    details = {d["index"]: d for d in it.get_tensor_details()}
    # The input QUANTIZE's range says which normalisation the model takes.
    quantized_input = [d for d in details.values() if d["dtype"] == np.int8 and list(d["shape"]) == shape]
    unit = bool(quantized_input) and quantized_input[0]["quantization"][0] * (-128 - quantized_input[0]["quantization"][1]) >= -1e-3
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k, source in enumerate(inputs):
            if os.path.isdir(source):
                x = golden_input(source)
            elif source.endswith(".npy"):
                x = np.load(source).astype(np.float32)
            else:
                x = photo_input(source, shape, unit)
            x = x.reshape(shape).astype(np.float32)
            npy = os.path.join(tmp, f"input{k}.npy")
            np.save(npy, x)
            it.set_tensor(inp["index"], x)
            it.invoke()
            dump = os.path.join(tmp, f"dump{k}")
            subprocess.run([binary, "run", model, "--input", npy, "--dump", dump, "--all-tensors"],
                           check=True, stdout=subprocess.DEVNULL)
            index = json.load(open(os.path.join(dump, "index.json")))
            identical = differing = 0
            float_diff = 0.0
            for entry in index:
                ours = np.load(os.path.join(dump, entry["file"]))
                theirs = it.get_tensor(entry["tensor_index"])
                if ours.dtype == np.int8:
                    if theirs.dtype == np.int8 and theirs.shape == ours.shape and theirs.tobytes() == ours.tobytes():
                        identical += 1
                    else:
                        differing += 1
                        steps = np.abs(theirs.astype(np.int32) - ours.astype(np.int32)).max() if theirs.shape == ours.shape else -1
                        print(f"  {source}: tensor {entry['tensor_index']} '{entry['name']}' (op {entry['op_index']}) differs, up to {steps} steps")
                elif ours.dtype == np.float32 and theirs.shape == ours.shape:
                    float_diff = max(float_diff, float(np.abs(theirs - ours).max()))
            failures += differing
            print(f"{source}: {identical} int8 tensors identical, {differing} differ; float tensors: max |diff| {float_diff:.3g}")
    print("PASS: every int8 tensor is byte-identical with LiteRT's reference kernels" if failures == 0
          else f"FAIL: {failures} int8 tensors differ")
    sys.exit(0 if failures == 0 else 1)


if __name__ == "__main__":
    main()
