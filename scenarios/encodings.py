"""Decode input CSV bytes: UTF-8, GBK (read as GB18030) or Big5, never a silent guess.

Chinese CSV exports arrive as UTF-8 (with or without BOM) from modern tools, GBK from mainland
Excel and HR systems, and Big5 from Taiwan and Hong Kong. GBK and Big5 are both double-byte codes
over the same byte ranges, so most Big5 files also *decode* as GB18030, into garbled text (that is
how issue 17's roster got garbled names). The rules, in order:

1. A file starting with the UTF-8 BOM is UTF-8, whatever ``--encoding`` says.
2. An explicit encoding (``read_csv(..., encoding=)`` or the CLI's ``--encoding big5|gbk|utf-8``,
   which reaches every read of a command through :func:`input_encoding`) is used as given; bytes
   it cannot decode are a one-line error.
3. Otherwise bytes that are valid UTF-8 are UTF-8.
4. Otherwise :func:`detect` scores GBK against Big5 and decides only with a clear margin; when the
   bytes do not say which, the user is asked to pass ``--encoding``.

The detector works on the *distinct* double-byte pairs of the file (a lead byte >= 0x80 and the
byte after it), so a queue name repeated on a thousand rows counts once. For each pair it adds a
log-likelihood score for each hypothesis:

- the character each codec decodes it to: a *common* character costs nothing, anything else
  (an undecodable pair, a rare ideograph, kana, Greek, Cyrillic, box drawing, private use)
  costs 3. Common = the 3,755 GB2312 level-1 hanzi (lead 0xB0-0xD7, trail 0xA1-0xFE, the most
  frequent simplified characters) plus the 5,401 Big5 frequent hanzi (0xA440-0xC67E, the most
  frequent traditional characters), plus punctuation, symbols, digits and full-width forms;
- the trail byte: GB2312 text only has trails 0xA1-0xFE (a trail in 0x40-0x7E costs GBK 3.9,
  about log(1/50)), while about 40 % of Big5 characters have trails in 0x40-0x7E (a low trail
  costs Big5 0.9 = -log 0.4, a high one 0.5 = -log 0.6).

GBK wins when its score beats Big5's by at least 3 (about 20:1), Big5 likewise; otherwise the
user is asked. Text decoded with the wrong codec is a random draw from the other code table, so
a few distinct characters usually settle it: ``售前`` or three Big5 names are clear, a lone
``陳`` (bytes B3 AF: 陳 in Big5, 朝 in GBK, both common) or ``售後`` alone are not. When only
one codec can decode the bytes at all, it is accepted if at most a quarter of the pairs give
uncommon characters. ``charset_normalizer`` (installed as a dependency of requests) was tried on
such short files and named cp949, cp932 or iso8859_16 for Big5 and GBK names, so it is not used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

#: The values of ``--encoding``.
ENCODINGS = ("big5", "gbk", "utf-8")
ASK = "pass --encoding big5|gbk|utf-8"

_ALIASES = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "gbk": "gbk",
    "gb18030": "gbk",
    "gb2312": "gbk",
    "cp936": "gbk",
    "big5": "big5",
    "cp950": "big5",
    "big5hkscs": "big5",
}
#: Python codecs tried in order for each encoding (GB18030 is a superset of GBK; cp950 is Big5
#: as Windows writes it, Big5-HKSCS adds the Hong Kong characters).
_CODECS = {"utf-8": ("utf-8",), "gbk": ("gb18030",), "big5": ("cp950", "big5hkscs")}
_LABELS = {"utf-8": "UTF-8", "gbk": "GBK/GB18030", "big5": "Big5"}
_BOM = b"\xef\xbb\xbf"
_PAIR = re.compile(rb"[\x80-\xff][\x00-\xff]?")

_RARE = 3.0  # cost of an uncommon character (log of about 20:1)
_GBK_LOW_TRAIL = 3.9  # -log(0.02): a trail 0x40-0x7E in GB2312-like text
_BIG5_LOW_TRAIL = 0.9  # -log(0.4)
_BIG5_HIGH_TRAIL = 0.5  # -log(0.6)
_MARGIN = 3.0

_INPUT_ENCODING: ContextVar[str | None] = ContextVar("peakplan_input_encoding", default=None)


class EncodingError(ValueError):
    """The bytes of a file cannot be decoded, or not told apart; message without the file name."""


def normalise_encoding(encoding: str) -> str:
    """Return ``big5``, ``gbk`` or ``utf-8`` for ``encoding`` (aliases like cp950 accepted).

    Raises:
        ValueError: any other encoding.
    """
    key = encoding.strip().lower().replace("_", "-")
    if key not in _ALIASES:
        raise ValueError(f"unknown encoding '{encoding}': use big5, gbk or utf-8")
    return _ALIASES[key]


@contextmanager
def input_encoding(encoding: str | None) -> Iterator[None]:
    """Within the block, every ``read_csv`` without its own ``encoding`` uses ``encoding``.

    ``None`` keeps detection. The CLI's ``main`` sets this from ``--encoding`` so that pipeline
    code need not pass the encoding down.
    """
    token = _INPUT_ENCODING.set(None if encoding is None else normalise_encoding(encoding))
    try:
        yield
    finally:
        _INPUT_ENCODING.reset(token)


def current_input_encoding() -> str | None:
    """The encoding set by the innermost :func:`input_encoding` block, or ``None``."""
    return _INPUT_ENCODING.get()


def decode_bytes(raw: bytes, encoding: str | None = None) -> str:
    """Decode a file's bytes following the rules of this module's docstring.

    Args:
        raw: the whole file.
        encoding: ``big5``, ``gbk``, ``utf-8`` (or an alias); ``None`` = the :func:`input_encoding`
            context, else detect.

    Raises:
        EncodingError: undecodable with the given encoding, not UTF-8/GBK/Big5, or ambiguous.
    """
    if raw.startswith(_BOM):
        try:
            return raw[len(_BOM) :].decode("utf-8")
        except UnicodeDecodeError:
            raise EncodingError(
                "starts with a UTF-8 byte-order mark but is not valid UTF-8; save it again as UTF-8"
            ) from None
    chosen = normalise_encoding(encoding) if encoding else current_input_encoding()
    if chosen is not None:
        text = _try(raw, chosen)
        if text is None:
            raise EncodingError(
                f"cannot decode as {_LABELS[chosen]} (--encoding {chosen}); "
                f"{ASK} with the file's real encoding, or save it as UTF-8"
            )
        return text
    text = _try(raw, "utf-8")
    if text is not None:
        return text
    detected = detect(raw)
    if detected is None:
        gbk, big5 = _try(raw, "gbk"), _try(raw, "big5")
        if gbk is None and big5 is None:
            raise EncodingError(f"cannot decode as UTF-8, GBK or Big5: {ASK}, or save it as UTF-8")
        raise EncodingError(f"not UTF-8, and its bytes do not say whether GBK or Big5: {ASK}")
    return _try(raw, detected) or ""


def detect(raw: bytes) -> str | None:
    """``gbk`` or ``big5`` when the bytes say so with a clear margin, else ``None``.

    Assumes ``raw`` is not UTF-8. See the module docstring for the scoring.
    """
    pairs = set(_PAIR.findall(raw))
    gbk_ok, big5_ok = _try(raw, "gbk") is not None, _try(raw, "big5") is not None
    if not pairs or not (gbk_ok or big5_ok):
        return None
    gbk_cost = big5_cost = 0.0
    gbk_rare = big5_rare = 0
    for pair in pairs:
        low = len(pair) == 2 and 0x40 <= pair[1] <= 0x7E
        if not _common(_decode_pair(pair, "gb18030")):
            gbk_cost += _RARE
            gbk_rare += 1
        if not _common(_decode_pair(pair, "cp950")):
            big5_cost += _RARE
            big5_rare += 1
        gbk_cost += _GBK_LOW_TRAIL if low else 0.0
        big5_cost += _BIG5_LOW_TRAIL if low else _BIG5_HIGH_TRAIL
    if gbk_ok != big5_ok:  # only one codec reads the file at all
        rare = gbk_rare if gbk_ok else big5_rare
        return ("gbk" if gbk_ok else "big5") if rare <= len(pairs) / 4 else None
    if big5_cost - gbk_cost >= _MARGIN:
        return "gbk"
    if gbk_cost - big5_cost >= _MARGIN:
        return "big5"
    return None


def _try(raw: bytes, encoding: str) -> str | None:
    for codec in _CODECS[encoding]:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def _decode_pair(pair: bytes, codec: str) -> str | None:
    try:
        return pair.decode(codec)
    except UnicodeDecodeError:
        return None


def _common(char: str | None) -> bool:
    """Whether ``char`` is something a real Chinese CSV plausibly holds (see module docstring)."""
    if char is None or len(char) != 1:
        return False
    if char in _common_hanzi():
        return True
    code = ord(char)
    if 0x3400 <= code <= 0x9FFF or 0x3040 <= code <= 0x30FF or 0x0370 <= code <= 0x052F:
        return False  # rare ideograph, kana, Greek or Cyrillic
    if 0x2500 <= code <= 0x257F:
        return False  # box drawing
    return code == 0x3000 or unicodedata.category(char)[0] in "PSN"


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """GB2312 level-1 hanzi and Big5 frequent hanzi (about 6,700 characters)."""
    chars: set[str] = set()
    high = range(0xA1, 0xFF)
    for lead in range(0xB0, 0xD8):
        chars.update(_decode_pair(bytes((lead, t)), "gb2312") or "" for t in high)
    big5_trails = [*range(0x40, 0x7F), *high]
    for lead in range(0xA4, 0xC7):
        for trail in big5_trails:
            if (lead, trail) < (0xC6, 0x7F):
                chars.add(_decode_pair(bytes((lead, trail)), "cp950") or "")
    return frozenset(c for c in chars if c and 0x4E00 <= ord(c) <= 0x9FFF)
