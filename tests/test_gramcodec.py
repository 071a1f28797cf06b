"""search.gramcodec: position blocks and group records decode to what was encoded, in every width, compressed
or not."""

import numpy as np


def test_block_encoding_round_trips():
    from search.gramcodec import decode_block, encode_blocks, undelta

    rng = np.random.default_rng(5)
    counts = rng.integers(1, 40, 500)
    scales = [10 ** (2 + (i // 7) % 4) for i in range(len(counts))]  # per block of 7: u1, u2, u2, u4
    pos = np.concatenate([np.sort(rng.choice(s, c, replace=False)) for s, c in zip(scales, counts)])
    delta = np.diff(pos, prepend=0)
    first = np.cumsum(counts) - counts
    delta[first] = pos[first]
    starts = first[::7]
    blob, at, codes = encode_blocks(delta, starts)
    decoded = np.concatenate([decode_block(blob[at[b]:at[b + 1]], int(codes[b])) for b in range(len(starts))])
    assert delta.tolist() == decoded.tolist()
    assert pos.tolist() == undelta(decoded, counts).tolist()
    assert {0, 1, 2} <= {int(c) & 3 for c in codes} and any(int(c) & 0x80 for c in codes)


def test_group_records_round_trip_in_every_width():
    """Keys of one group and of thousands, docnum gaps past u1 and u2, counts past u1 and u2, compressed and
    raw records: each key decodes to its own docnums, counts and masks."""
    from search.gramcodec import decode_groups, encode_groups

    rng = np.random.default_rng(7)
    sizes = [1, 2, 40, 3000, 5, 700, 1, 64]
    gap_scales = [1, 300, 3, 2, 70_000, 9, 1, 100_000]
    count_scales = [1, 5, 300, 3, 2, 70_000, 9, 1]
    docs, counts, masks, kstart = [], [], [], []
    for n, gap, top in zip(sizes, gap_scales, count_scales):
        kstart.append(sum(len(d) for d in docs))
        docs.append(np.cumsum(rng.integers(1, gap + 1, n)) + int(rng.integers(0, 1000)))
        counts.append(rng.integers(1, top + 1, n))
        masks.append(rng.integers(0, 64, n).astype(np.uint8))
    blob, at, codes = encode_groups(np.concatenate(docs), np.concatenate(counts), np.concatenate(masks),
                                    np.array(kstart))
    for i, n in enumerate(sizes):
        got = decode_groups(blob[int(at[i]):int(at[i + 1])], int(codes[i]), n)
        assert (docs[i].tolist(), counts[i].tolist(), masks[i].tolist()) == tuple(x.tolist() for x in got), i
    assert {0, 1, 2} <= {int(c) & 3 for c in codes} and {0, 1, 2} <= {int(c) >> 2 & 3 for c in codes}
    assert any(int(c) & 0x80 for c in codes) and not all(int(c) & 0x80 for c in codes)
    assert len(blob) < 9 * sum(sizes) / 2  # against the 9-byte records of RGRAMS04


def test_tables_round_trip_with_and_without_deltas():
    """A chunk's tables (1-D keys, 2-D offsets, per-block codes; empty ones too) decode to what was encoded;
    ascending ones delta-encoded take a fraction of their bytes."""
    from search.gramcodec import U1, U4, U8, decode_table, encode_table

    rng = np.random.default_rng(3)
    keys = (np.sort(rng.choice(1 << 24, 20000, replace=False)) | 1 << 42).astype(U8)  # title keys: bit 42
    offsets = np.cumsum(rng.integers(0, 300, (5001, 3)), axis=0).astype(U4)
    codes = rng.integers(0, 256, 777).astype(U1)
    for arr, delta in ((keys, True), (offsets, True), (codes, False), (keys[:0], True), (codes[:0], False)):
        data = encode_table(arr, delta)
        assert arr.tolist() == decode_table(data, arr.dtype, arr.shape, delta).tolist()
        assert arr.dtype == decode_table(data, arr.dtype, arr.shape, delta).dtype
    assert len(encode_table(keys, True)) < keys.nbytes / 2 and len(encode_table(offsets, True)) < offsets.nbytes / 2
