"""Web UI stage: page data objects.

Each page is one dict built by one function: the search layer's data (what the JSON twin returns) under one
key, and ``ui`` (labels and every URL, built in Python) for the HTML templates, which hold no logic.
"""
