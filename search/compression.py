"""zstd for the index files (shared by the write and read sides: ``search.gramcodec``, ``search.schema``'s
stored fields): one compression context per thread and level, one decompression context per thread (a zstd
context is not safe to share, and making one per call costs more than a small block's decoding).
"""

from __future__ import annotations

import threading

import zstandard

Error = zstandard.ZstdError
_LOCAL = threading.local()


def compress(raw: bytes, level: int) -> bytes:
    compressors = getattr(_LOCAL, "compressors", None)
    if compressors is None:
        compressors = _LOCAL.compressors = {}
    compressor = compressors.get(level)
    if compressor is None:
        compressor = compressors[level] = zstandard.ZstdCompressor(level=level)
    return compressor.compress(raw)


def decompress(data) -> bytes:
    decompressor = getattr(_LOCAL, "decompressor", None)
    if decompressor is None:
        decompressor = _LOCAL.decompressor = zstandard.ZstdDecompressor()
    return decompressor.decompress(data)
