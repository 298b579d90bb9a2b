"""The frame every HTML page of pia shares (the diff, the corpus report): one document with its
title, the generator's version and its style, and the stamp saying when and by which version it was made."""
from __future__ import annotations

import datetime as dt
from html import escape

from pipeline import PARSER_VERSION


def html_page(title: str, css: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="generator" content="pia-corpus {escape(PARSER_VERSION)}">'
            f"<style>{css}</style></head><body>\n{body}\n</body></html>\n")


def made_stamp(made: dt.datetime) -> str:
    made = made.replace(microsecond=0)
    return (f'作成 <time datetime="{made.isoformat()}">{made:%Y-%m-%d %H:%M:%S %Z}</time> · '
            f"pia-corpus {escape(PARSER_VERSION)}")
