"""LiteRT (XNNPACK, 1 thread; builtin reference kernels) latency for the blazeface models.

Used by scripts/bench_peers.sh; prints one JSON line per model and runtime. Comparison only:
Python is not part of the product or its tests.
"""
import json
import sys
import time

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType


def measure(path, resolver, runs, warmup):
    kwargs = {"num_threads": 1}
    if resolver is not None:
        kwargs["experimental_op_resolver_type"] = resolver
    it = Interpreter(model_path=path, **kwargs)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    rng = np.random.default_rng(0)
    it.set_tensor(inp["index"], rng.uniform(0, 1, size=inp["shape"]).astype(inp["dtype"]))
    for _ in range(warmup):
        it.invoke()
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        it.invoke()
        ms.append((time.perf_counter_ns() - t0) / 1e6)
    ms.sort()
    return {"min": ms[0], "median": ms[len(ms) // 2], "p90": ms[min(len(ms) - 1, len(ms) * 9 // 10)]}


def main():
    runs, warmup = int(sys.argv[1]), int(sys.argv[2])
    for path in sys.argv[3:]:
        for name, res, n in [("litert-xnnpack", OpResolverType.BUILTIN, runs),
                             ("litert-builtin-ref", OpResolverType.BUILTIN_REF, max(10, runs // 20))]:
            try:
                r = measure(path, res, n, warmup if n == runs else 2)
                print(json.dumps({"model": path, "runtime": name, **r}), flush=True)
            except Exception as e:  # noqa: BLE001 - report and continue
                print(json.dumps({"model": path, "runtime": name, "error": str(e)}), flush=True)


if __name__ == "__main__":
    main()
