"""Web UI stage: the Chinese words the pages use for facet names and coded values."""

FACET_LABELS = {
    "province": "省份",
    "city": "城市",
    "county": "区县",
    "agency": "机关",
    "year": "年份",
    "level": "层级",
    "sector": "系统",
    "kind": "章节类别",
}

VALUE_LABELS = {
    "level": {"provincial": "省级", "city": "市级", "district": "区级", "county": "县级"},
    "sector": {
        "police": "公安",
        "justice": "司法行政",
        "government": "政府",
        "market_regulation": "市场监管",
        "ecology_environment": "生态环境",
        "other": "其他",
    },
}

# Where a report's metadata was read (search.schema.EVIDENCE_SOURCES), as the report page says it on hover.
EVIDENCE_LABELS = {
    "title": "标题", "signature": "落款", "metadata_block": "网页信息栏", "body": "正文", "cited_title": "引用的文件标题",
    "slogan": "口号", "doc_number": "文号与主送机关", "url": "网页地址", "metadata_file": "元数据表 metadata.csv",
    "inferred": "推断",
}

MODE_LABELS = {"exact": "精确匹配", "words": "按词匹配"}
SORT_LABELS = {"relevance": "按相关度", "year": "按年份"}


def value_label(facet: str, value) -> str:
    if facet == "year":
        return f"{value}年"
    return VALUE_LABELS.get(facet, {}).get(str(value), str(value))
