"""Comment text: a Markdown subset rendered to HTML, then sanitised by nh3.

Markdown is only a convenience for writers; the safety comes from nh3's explicit allow
list, applied to whatever Markdown produced (raw HTML typed by the writer included).
The raw text is stored, the HTML is cached on the comment and re-rendered on edit.
"""

from __future__ import annotations

import html as html_lib

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=[], output_format="html")
    # The subset: no headings, images, horizontal rules, tables or code blocks.
    for name in ("hashheader", "setextheader", "hr", "code"):
        if name in md.parser.blockprocessors:
            md.parser.blockprocessors.deregister(name)
    for name in ("image_link", "image_reference", "short_image_ref"):
        if name in md.inlinePatterns:
            md.inlinePatterns.deregister(name)
    return md


def render(text: str) -> str:
    """Safe HTML for `text`."""
    html = _markdown().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def plain_excerpt(text: str, length: int = 200) -> str:
    """Plain text for notifications and the moderation queue."""
    flat = " ".join(html_lib.unescape(nh3.clean(render(text), tags=set())).split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"
