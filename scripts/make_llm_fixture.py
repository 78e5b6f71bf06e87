#!/usr/bin/env python3
"""Generate tests/fixtures/llm/gemma3_reference.json once, with llama.cpp (llama-cpp-python).

For each prompt (Dutch and English synthetic clinical letters, some longer than Gemma 3's
512-token sliding window) it records llama.cpp's prompt token ids, the next-token argmax,
the top-10 next tokens with their logits, and the greedy 32-token continuation.
tests/llm_gemma3.rs checks clinkit's own Gemma 3 forward pass against this file.

Run: /tmp/llama/bin/python scripts/make_llm_fixture.py [models dir]
"""
import json
import os
import sys

import llama_cpp
import numpy as np
from llama_cpp import Llama, __version__ as llama_cpp_version

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CLINKIT_MODELS", os.path.join(ROOT, "models"))
MODEL = os.path.join(MODELS, "gemma-3-270m-q4_k_m", "gemma-3-270m-q4_k_m.gguf")
OUT = os.path.join(ROOT, "tests", "fixtures", "llm", "gemma3_reference.json")
CONTINUATION = 32
TOP = 10


def letters():
    with open(os.path.join(ROOT, "datasets-synthetic", "referrals", "test.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prompts():
    """32 prompts: letter openings of several lengths, in both languages, plus long ones."""
    docs = letters()
    dutch = [d["text"] for d in docs if d["lang"] == "nl"]
    english = [d["text"] for d in docs if d["lang"] == "en"]
    chosen = []
    lengths = [60, 150, 300, 600, 1200]
    for i in range(12):
        chosen.append(dutch[i][: lengths[i % len(lengths)]])
        chosen.append(english[i][: lengths[(i + 2) % len(lengths)]])
    # Long prompts: two or three whole letters, past the 512-token window.
    for i in range(4):
        chosen.append("\n\n".join(dutch[20 + 3 * i : 23 + 3 * i]))
        chosen.append("\n\n".join(english[20 + 3 * i : 23 + 3 * i]))
    return chosen


def last_logits(llm):
    """The logits after the last evaluated token, read straight from llama.cpp.

    (`llm.scores` stays zero without `logits_all`, and `eval_logits` copies every row into
    Python lists: both unusable for a 262,144-token vocabulary.)
    """
    pointer = llama_cpp.llama_get_logits_ith(llm.ctx, -1)
    return np.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),)).astype(np.float32)


def main():
    llm = Llama(MODEL, n_ctx=4096, n_threads=2, n_batch=512, verbose=False)
    cases = []
    for text in prompts():
        ids = llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)
        llm.reset()
        llm.eval(ids)
        logits = last_logits(llm)
        order = np.argsort(-logits, kind="stable")[:TOP]
        continuation = []
        next_id = int(order[0])
        for _ in range(CONTINUATION):
            continuation.append(next_id)
            llm.eval([next_id])
            next_id = int(np.argmax(last_logits(llm)))
        cases.append(
            {
                "prompt": text,
                "prompt_ids": [int(t) for t in ids],
                "argmax": int(order[0]),
                "top_ids": [int(t) for t in order],
                "top_logits": [round(float(logits[t]), 3) for t in order],
                "greedy": continuation,
            }
        )
        print(f"{len(ids):5d} prompt tokens, argmax {order[0]}", file=sys.stderr)
    reference = {
        "model": os.path.basename(MODEL),
        "generator": f"llama-cpp-python {llama_cpp_version}, n_threads 2, greedy",
        "cases": cases,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
