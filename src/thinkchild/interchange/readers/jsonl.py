"""JSON Lines, read one line at a time so a 1 GB file costs no more memory than a small one."""

from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

import orjson

from thinkchild.interchange.records import Line, RawLine, Reason

# A line longer than this is not a record anyone meant to send; reading it whole could exhaust
# memory, so the rest of it is skipped.
MAX_LINE_BYTES = 4 * 1024 * 1024


def _physical_lines(stream: BinaryIO, on_bytes: Callable[[int], None]) -> Iterator[bytes | None]:
    """Lines as bytes; None for a line longer than MAX_LINE_BYTES (whose bytes are dropped)."""
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        on_bytes(len(raw))
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while True:
                rest = stream.readline(MAX_LINE_BYTES)
                on_bytes(len(rest))
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield raw


def utf8_problem(raw: bytes, error: UnicodeDecodeError) -> Reason:
    return Reason(
        "",
        f"not UTF-8 text (byte 0x{raw[error.start]:02x} at position {error.start + 1})",
    )


def line_parse(number: int, raw: bytes, *, complete: bool = True) -> Line:
    """One line: decoded, parsed, and every problem found named. `complete` is False for a last
    line with no newline, which is how a truncated file ends."""
    body = raw.rstrip(b"\r\n")
    if number == 1 and body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]  # a byte-order mark some editors write
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        return Line(
            number=number,
            raw=body.decode("utf-8", errors="replace"),
            raw_bytes=body,
            reasons=[utf8_problem(body, error)],
            not_utf8=True,
        )
    line = Line(number=number, raw=text, raw_bytes=body)
    try:
        record = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        if not complete:
            line.reasons.append(Reason("", "line is incomplete (file may be truncated)"))
        else:
            line.reasons.append(Reason("", f"not valid JSON: {error.msg} at column {error.colno}"))
        return line
    if not isinstance(record, dict):
        line.reasons.append(Reason("", "not a record: each line must be one JSON object {...}"))
        return line
    line.record = record
    return line


def lines_parse(lines: Iterable[Line | RawLine]) -> list[Line]:
    """The lines of a batch, each parsed (a RawLine) or as it was (a Line)."""
    return [
        line_parse(line.number, line.raw_bytes, complete=line.complete)
        if type(line) is RawLine
        else line
        for line in lines
    ]


def jsonl_lines(
    stream: BinaryIO, on_bytes: Callable[[int], None] = lambda n: None
) -> Iterator[Line | RawLine]:
    """The lines of a file, numbered; each is parsed later, with its batch (lines_parse)."""
    number = 0
    for raw in _physical_lines(stream, on_bytes):
        number += 1
        if raw is None:
            yield Line(
                number=number,
                raw="",
                raw_bytes=b"",
                reasons=[Reason("", f"line is longer than {MAX_LINE_BYTES // 1024 // 1024} MB")],
            )
            continue
        if not raw.strip():
            continue
        yield RawLine(number, raw, raw.endswith(b"\n"))


def text_lines(lines: Iterable[str | bytes]) -> Iterator[Line]:
    """Lines that arrived in a request body: numbered from 1, blank lines skipped."""
    for number, text in enumerate(lines, start=1):
        raw = text if isinstance(text, bytes) else text.encode("utf-8")
        if not raw.strip():
            continue
        yield line_parse(number, raw)
