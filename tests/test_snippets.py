"""search.snippets: matches found in normalized stored text, sentence fragments, escaping once."""

import pytest

from search.snippets import match_spans, render, snippets


@pytest.mark.parametrize("text, terms, expected", [
    ("执法记录仪，执法。", ["执法"], [(0, 2, 0), (6, 8, 0)]),
    ("２０２１年執法", ["2021", "执法"], [(0, 4, 0), (5, 7, 1)]),
    ("执法  记录仪", ["执法 记录仪"], [(0, 7, 0)]),
    ("ABC abc", ["abc"], [(0, 3, 0), (4, 7, 0)]),
    ("ﬁle执法", ["执法"], [(3, 5, 0)]),
    ("无关", ["执法"], []),
])
def test_match_spans_in_original_offsets(text, terms, expected):
    assert expected == match_spans(text, terms)


def test_render_escapes_everything_and_marks_matches():
    text = "<b>执法</b> & \"x\""
    assert "&lt;b&gt;<mark>执法</mark>&lt;/b&gt; &amp; &quot;x&quot;" == render(text, 0, len(text),
                                                                              match_spans(text, ["执法"]))


def test_snippets_are_sentences_with_most_terms_first_in_text_order():
    text = "第一句有执法。第二句无关！第三句执法记录仪；第四句记录仪\n第五句执法"
    spans = match_spans(text, ["执法", "记录仪"])
    assert ["第一句有<mark>执法</mark>。", "第三句<mark>执法</mark><mark>记录仪</mark>；",
            "第四句<mark>记录仪</mark>"] == snippets(text, spans)


def test_long_sentence_is_cut_around_the_match():
    text = "甲" * 300 + "执法" + "乙" * 300 + "。"
    [snip] = snippets(text, match_spans(text, ["执法"]))
    assert "…" + "甲" * 50 + "<mark>执法</mark>" + "乙" * 108 + "…" == snip


def _sentences_by_scan(text, spans):
    """The reference: every sentence in order with the spans overlapping it (a scan of all of them)."""
    from search.analysis import sentence_spans

    return [(s, e, [sp for sp in spans if sp[0] < e and sp[1] > s]) for s, e in sentence_spans(text)]


@pytest.mark.parametrize("terms", [["执法"], ["公安", "法治"], ["。"], ["工作。", "一、"], ["年"], ["执法", "执法记录仪"]])
def test_snippets_pick_the_sentences_a_scan_of_every_sentence_picks(corpus_dir, terms):
    """Spans find their sentences by bisection: the snippets are those of scanning every sentence for them."""
    from search.snippets import MAX_SNIPPETS, _window

    checked = 0
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = match_spans(text, terms)
        scored = [(-len({k for _, _, k in inside}), -len(inside), s, e, inside)
                  for s, e, inside in _sentences_by_scan(text, spans) if inside]
        best = sorted(sorted(scored)[:MAX_SNIPPETS], key=lambda x: x[2])
        expected = []
        for _, _, s, e, inside in best:
            ws, we, pre, post = _window(text, s, e, inside)
            expected.append(pre + render(text, ws, we, inside).strip() + post)
        assert expected == snippets(text, spans)
        checked += bool(spans)
    assert checked >= 3
