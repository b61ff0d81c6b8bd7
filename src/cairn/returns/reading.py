"""Reading a return's files a row at a time, saying where a file is wrong instead of failing.

An import file comes from another system, a spreadsheet or an email attachment: it may be cut
short, saved in the wrong encoding, have a column too many or be something else entirely. Each
of those is a problem naming the file, row and column (through `check.add`), never an
exception. Files are read line by line (a 50 MB return must not become 50 MB of Python
objects): nothing here keeps more than one row.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

# No heading line or row of a return comes near this: a longer "line" is not a return's CSV
# (binary junk has few newlines), and reading on would hold it all in memory.
MAX_LINE = 64 * 1024
# What reading a damaged file (a zip member above all) can raise part-way through.
READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error)
NOT_UTF8 = "has bytes that are not UTF-8 text: save the file as UTF-8 (CSV UTF-8 in Excel)"


class Folder:
    """The return's tables as files in a folder."""

    def __init__(self, path: Path):
        self.path = path

    def label(self, name: str) -> str:
        return name

    def has(self, name: str) -> bool:
        return (self.path / name).is_file()

    def open(self, name: str) -> BinaryIO:
        return open(self.path / name, "rb")

    def close(self) -> None:
        pass


class Zip:
    """The return's tables as the members of one zip file (the Returns page's download), in any
    folder inside it."""

    def __init__(self, path: Path):
        self.name = path.name
        self.zip = zipfile.ZipFile(path)  # BadZipFile for anything that is not a zip
        self.members = {PurePosixPath(n).name: n for n in self.zip.namelist()
                        if not n.endswith("/")}

    def label(self, name: str) -> str:
        return f"{self.name}/{name}"

    def has(self, name: str) -> bool:
        return name in self.members

    def open(self, name: str) -> BinaryIO:
        return self.zip.open(self.members[name])

    def close(self) -> None:
        self.zip.close()


class Lines:
    """A CSV file's lines, decoded one at a time for csv.reader.

    UTF-8, with a byte order mark dropped (Excel's "CSV UTF-8" writes one). A line that is not
    UTF-8 is still given to the reader, its bad bytes as lone surrogates (which real text never
    holds), so that the row can be split and the column with them named; `bad` says so until
    the reader of rows clears it. `nul` notes a NUL byte (binary, not text); `too_long` a line
    longer than MAX_LINE, at which reading stops; `cut` that the last line had no newline.
    """

    def __init__(self, binary: BinaryIO):
        self.binary = binary
        self.bad = self.nul = self.too_long = self.cut = False
        self.first = True

    def __iter__(self) -> Iterator[str]:
        while True:
            raw = self.binary.readline(MAX_LINE)
            if not raw:
                return
            if len(raw) == MAX_LINE and not raw.endswith(b"\n"):
                self.too_long = True
                return
            if self.first:
                raw = raw.removeprefix(codecs.BOM_UTF8)
                self.first = False
            self.cut = not raw.endswith(b"\n")
            self.nul = self.nul or b"\x00" in raw
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad = True
                text = raw.decode("utf-8", "surrogateescape")
            yield text


def _has_surrogate(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def check_headings(source, filename: str, headings: list[str], check) -> bool:
    """Whether the file's heading line is exactly `headings`; if not, says what is wrong."""
    label = source.label(filename)
    try:
        with source.open(filename) as binary:
            raw = binary.readline(MAX_LINE)
    except READ_ERRORS as error:
        check.add(label, None, "", f"cannot be read ({_reason(error)})")
        return False
    expected = f"expected {','.join(headings)}"
    raw = raw.removeprefix(codecs.BOM_UTF8)
    if not raw:
        check.add(label, None, "", f"the file is empty: it needs at least its heading line "
                  f"({expected})")
        return False
    if b"\x00" in raw or (len(raw) == MAX_LINE and not raw.endswith(b"\n")):
        check.add(label, None, "", "is not a CSV text file (its first line is not a heading "
                  "line)")
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        check.add(label, None, "", f"the heading line {NOT_UTF8} (at byte {error.start + 1})")
        return False
    try:
        found = next(csv.reader([text], strict=True), [])
    except csv.Error as error:
        check.add(label, None, "", f"the heading line is not CSV ({error})")
        return False
    if found == headings:
        return True
    if not [h for h in found if h.strip()]:
        check.add(label, None, "", f"the heading line is blank ({expected})")
        return False
    twice = sorted({h for h in found if found.count(h) > 1})
    missing = [h for h in headings if h not in found]
    extra = [h for h in found if h not in headings]
    detail = "; ".join(filter(None, [
        f"missing {', '.join(missing)}" if missing else "",
        f"unexpected {', '.join(extra)}" if extra else "",
        f"{', '.join(twice)} more than once" if twice else "",
        "" if missing or extra or twice else "in the wrong order"]))
    check.add(label, None, "", f"wrong headings ({detail}): {expected}")
    return False


def rows(source, filename: str, headings: list[str], check) -> Iterator[tuple[int, dict]]:
    """Each row of a table whose headings were checked, as (row number from 1, {heading:
    value}). A row that cannot be read is a problem and is not given; a file that cannot be
    read on is a problem at the row where it stopped."""
    label = source.label(filename)
    i = ended = 0
    short = None  # (row, values, line) of a short row, said once the next row shows if it is last
    lines = None

    def say_short(last: bool) -> None:
        row, n, line = short
        column = headings[n] if n < len(headings) else ""
        if last and lines.cut:
            check.add(label, row, column, f"the file ends part-way through this row, after "
                      f"{n} of its {len(headings)} columns: it may have been cut short",
                      line=line)
        else:
            check.add(label, row, column, f"the row has {n} values where there are "
                      f"{len(headings)} columns", line=line)

    try:
        with source.open(filename) as binary:
            lines = Lines(binary)
            reader = csv.reader(lines, strict=True)
            next(reader, None)  # the heading line, checked by check_headings
            ended = reader.line_num  # the file's line where the last row read ended
            for values in reader:
                # The row's first line in the file (a quoted value may run over several).
                line, ended = ended + 1, reader.line_num
                if not values:  # a blank line is no row, as csv.DictReader has it
                    continue
                i += 1
                if short:
                    say_short(last=False)
                    short = None
                check.reading(label, i, line=line)
                if lines.bad:
                    lines.bad = False
                    bad = next((n for n, v in enumerate(values) if _has_surrogate(v)), 0)
                    check.add(label, i, _column(headings, bad), NOT_UTF8)
                    continue
                if lines.nul:
                    lines.nul = False
                    bad = next((n for n, v in enumerate(values) if "\x00" in v), 0)
                    check.add(label, i, _column(headings, bad), "has a NUL byte: this is not "
                              "a CSV text file")
                    continue
                if len(values) < len(headings):
                    short = (i, len(values), line)
                    continue
                if len(values) > len(headings):
                    check.add(label, i, _column(headings, len(headings)),
                              f"the row has {len(values)} values where there are "
                              f"{len(headings)} columns")
                    continue
                yield i, dict(zip(headings, values))
    except csv.Error as error:
        if lines is not None and lines.too_long:
            pass  # said below
        elif "unexpected end of data" in str(error):
            check.add(label, i + 1, "", "the file ends inside a quoted value: it may have been "
                      "cut short", line=ended + 1)
        else:
            check.add(label, i + 1, "", f"cannot be read as CSV ({error})", line=ended + 1)
    except READ_ERRORS as error:
        check.add(label, i + 1, "", f"cannot be read beyond this row ({_reason(error)})",
                  line=ended + 1)
    if short:
        say_short(last=True)
    if lines is not None and lines.too_long:
        check.add(label, i + 1, "", f"has a line longer than {MAX_LINE // 1024} KB: this is not "
                  "a return's CSV file", line=ended + 1)


def _column(headings: list[str], n: int) -> str:
    return headings[n] if n < len(headings) else f"column {n + 1}"


def _reason(error: BaseException) -> str:
    """An error in words, without the server's path that an OSError carries."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, (zipfile.BadZipFile, zlib.error, EOFError)):
        return "the zip file is damaged"
    return type(error).__name__
