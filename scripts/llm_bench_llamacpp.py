#!/usr/bin/env python3
"""llama.cpp's side of benches/llm.rs: load, prefill and greedy decode timings as one JSON line.

Usage: python scripts/llm_bench_llamacpp.py MODEL.gguf PROMPT_IDS_JSON DECODE_TOKENS THREADS
"""
import json
import sys
import time

import llama_cpp
import numpy as np
from llama_cpp import Llama

model, ids_json, decode_tokens, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ids = json.loads(ids_json)
start = time.perf_counter()
llm = Llama(model, n_ctx=2048, n_threads=threads, n_threads_batch=threads, n_batch=512, verbose=False)
load = time.perf_counter() - start
start = time.perf_counter()
llm.eval(ids)
prefill = time.perf_counter() - start
logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm.ctx, -1), shape=(llm.n_vocab(),))
token = int(np.argmax(logits))
generated = [token]
start = time.perf_counter()
for _ in range(decode_tokens):
    llm.eval([token])
    logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm.ctx, -1), shape=(llm.n_vocab(),))
    token = int(np.argmax(logits))
    generated.append(token)
decode = time.perf_counter() - start
print(json.dumps({"load_s": load, "prefill_s": prefill, "decode_s": decode, "generated": generated}))
