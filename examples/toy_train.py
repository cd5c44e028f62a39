#!/usr/bin/env python3
"""A dependency-free stand-in for a training script, for the demo and the tests.

It "trains" for a few steps and, when the batch size is above the memory it pretends to have,
fails the way PyTorch does: a traceback ending in `torch.OutOfMemoryError: CUDA out of memory.`
and exit code 1. Halve the batch size often enough and it succeeds.
"""
import argparse
import sys
import time

parser = argparse.ArgumentParser(description="toy training loop")
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--gradient-accumulation-steps", type=int, default=1)
parser.add_argument("--steps", type=int, default=5)
parser.add_argument("--max-fit", type=int, default=128, help="largest batch size that fits in 'GPU memory'")
parser.add_argument("--step-time", type=float, default=0.05)
args = parser.parse_args()

print(f"toy_train: batch_size={args.batch_size} grad_accum={args.gradient_accumulation_steps}", flush=True)
for step in range(1, args.steps + 1):
    if args.batch_size > args.max_fit:
        need = args.batch_size * 0.25
        print("Traceback (most recent call last):", file=sys.stderr)
        print('  File "examples/toy_train.py", line 27, in <module>', file=sys.stderr)
        print("    loss = model(batch).sum()", file=sys.stderr)
        print(
            f"torch.OutOfMemoryError: CUDA out of memory. Tried to allocate {need:.2f} GiB. "
            "GPU 0 has a total capacity of 79.11 GiB of which 3.19 GiB is free. "
            "Including non-PyTorch memory, this process has 75.90 GiB memory in use.",
            file=sys.stderr,
            flush=True,
        )
        sys.exit(1)
    loss = 2.0 / step
    print(f"step {step}/{args.steps} loss {loss:.4f}", flush=True)
    time.sleep(args.step_time)
print("toy_train: done", flush=True)
