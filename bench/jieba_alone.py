"""Benchmark floor: jieba segmentation alone (precise mode with HMM, as our analysis cuts) over the corpus text.

Any jieba pipeline has to pay this; our full build is measured against it. Dictionary loading and file
reading are timed apart, so ``segment_seconds`` is jieba's own work only.

    python -m bench.jieba_alone CORPUS_DIR     # prints {"segment_seconds": …, "load_seconds": …, "chars": …}
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import jieba


def segment(corpus_dir: Path) -> dict:
    jieba.setLogLevel(logging.WARNING)
    start = time.perf_counter()
    jieba.initialize()
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]
    loaded = time.perf_counter()
    words = sum(len(jieba.lcut(text, HMM=True)) for text in texts)
    done = time.perf_counter()
    return {"segment_seconds": done - loaded, "load_seconds": loaded - start,
            "chars": sum(map(len, texts)), "words": words}


if __name__ == "__main__":
    print(json.dumps(segment(Path(sys.argv[1]))))
