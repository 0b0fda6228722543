"""Small helpers every repository uses: ids, UTC times, page tokens."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa

from synthstudio_libs.errors import InvalidInput

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def new_id(prefix: str) -> str:
    """A random, URL-safe resource id such as `ds_4f1c2a9e0b7d4e6f8a1b`."""
    return f"{prefix}_{secrets.token_hex(10)}"


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without a zone; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def page_size(requested: int) -> int:
    """The page size to use: the default for 0, refused when negative, capped at the maximum."""
    if requested < 0:
        raise InvalidInput(
            f"page_size must not be negative (got {requested})",
            field="page_size",
            metadata={"page_size": requested},
        )
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_page_token(token: str) -> int:
    """The offset a page token stands for; a token we did not issue is refused."""
    if not token:
        return 0
    try:
        kind, value = base64.urlsafe_b64decode(token.encode()).decode().split(":", 1)
        offset = int(value)
    except ValueError:
        offset, kind = -1, ""
    if kind != "o" or offset < 0:
        raise InvalidInput(
            "page_token is not one this server issued: pass the next_page_token of the "
            "previous page, or nothing for the first page",
            field="page_token",
        )
    return offset


def next_page_token(offset: int, size: int, fetched: int) -> str:
    """The token of the page after this one; empty when this page was the last."""
    return encode_page_token(offset + size) if fetched > size else ""


def read_page(
    connection: sa.Connection, query: sa.Select, size: int, token: str
) -> tuple[list[sa.Row], str]:
    """One page of an ordered query: the platform's one way to page (AIP-158 page_size and
    page_token; size 0 is the default, negative sizes and foreign tokens are refused). Returns
    the rows and the next page's token, empty on the last page."""
    limit, offset = page_size(size), decode_page_token(token)
    rows = connection.execute(query.offset(offset).limit(limit + 1)).all()
    return list(rows[:limit]), next_page_token(offset, limit, len(rows))
