"""JabRef's groups tree (``@Comment{jabref-meta: grouping: ...}``) read as themes on import.

JabRef keeps a library's groups in one comment block, one group a line::

    0 AllEntriesGroup:;
    1 StaticGroup:By status\\;2\\;1\\;0x8a8a8aff\\;\\;\\;;
    2 StaticGroup:Skimmed\\;0\\;0\\;0xe6994dff\\;eye\\;\\;;
    2 KeywordGroup:Filters\\;0\\;keywords\\;filter\\;0\\;0\\;1\\;\\;\\;\\;;

The number is the depth (0: the root, all entries), then the group's type and its fields,
separated by ``\\;`` (name, hierarchical context, then the type's own fields). Who is in a group:

- ``StaticGroup`` / ``ExplicitGroup`` (entries chosen by hand): the entries whose ``groups``
  field names it (JabRef 3 and later), and the entry keys listed in the group itself (older
  libraries list them after the context);
- ``KeywordGroup``: the entries whose field (``keywords``...) holds the term: one of its
  comma- or semicolon-separated words for ``keywords`` and ``groups``, else anywhere in the
  value; the term is a regular expression when the group says so; case as the group says.

Other groups (search, automatic, LaTeX groups) have no membership an import can read: they are
left out and counted. Each member entry gets the group's path (``Parent > Child``) added to its
``keywords``, so that the tree becomes the review's themes as any hierarchical keyword does
(``macros.kinds.themetree``). The hierarchical context (independent, refining, including) is
not kept: a theme page counts its sub-themes' works anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from macros.bibliography.records import Note, Record

_START = re.compile(r"@comment\s*[{(]\s*jabref-meta:\s*grouping:", re.IGNORECASE)
_LINE = re.compile(r"^\s*(\d+)\s+([A-Za-z]+):(.*)$")
MEMBERSHIP = frozenset({"StaticGroup", "ExplicitGroup", "KeywordGroup"})


@dataclass
class Group:
    depth: int
    kind: str
    fields: list[str]
    line: int
    path: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.fields[0] if self.fields else ""


def _block(text: str) -> tuple[str, int] | None:
    """The grouping block's body and the line it starts on (None: the library has none)."""
    match = _START.search(text)
    if match is None:
        return None
    depth, pos = 1, match.end()
    while pos < len(text) and depth:
        depth += {"{": 1, "(": 1, "}": -1, ")": -1}.get(text[pos], 0)
        pos += 1
    return text[match.end() : pos - 1], text.count("\n", 0, match.end()) + 1


def _fields(written: str) -> list[str]:
    r"""``a\;b\;;`` -> ``["a", "b"]``: split at ``\;``, the trailing ``;`` dropped, ``\\``
    and ``\;`` read back."""
    body = written.strip().removesuffix(";")
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == ";":
                parts.append("".join(current))
                current = []
            else:
                current.append(nxt)
            i += 2
            continue
        current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def read_groups(text: str) -> list[Group]:
    """Every group of the library's tree, with its path from the top (the root left out)."""
    found = _block(text)
    if found is None:
        return []
    body, first_line = found
    groups: list[Group] = []
    stack: list[Group] = []
    for offset, raw in enumerate(body.splitlines()):
        match = _LINE.match(raw)
        if match is None:
            continue
        depth, kind, rest = int(match.group(1)), match.group(2), match.group(3)
        group = Group(depth, kind, _fields(rest), first_line + offset)
        while stack and stack[-1].depth >= depth:
            stack.pop()
        if kind == "AllEntriesGroup" or depth == 0:
            stack.append(group)
            continue
        group.path = [*(stack[-1].path if stack else []), _theme_name(group.name)]
        stack.append(group)
        groups.append(group)
    return groups


def _theme_name(name: str) -> str:
    """A group's name as one part of a keyword path: no separator of keywords or paths."""
    return " ".join(re.sub(r"[,;>]", " ", name).split()) or "group"


def _words(value: str) -> list[str]:
    return [w.strip() for w in re.split(r"[,;]", value) if w.strip()]


def _members(group: Group, records: list[Record]) -> list[Record]:
    if group.kind in ("StaticGroup", "ExplicitGroup"):
        listed = set(group.fields[2:])
        return [
            r
            for r in records
            if r.key in listed or group.name in _words(r.fields.get("groups", ""))
        ]
    # KeywordGroup: name, context, field, term, case sensitive, regex, ...
    if len(group.fields) < 4:
        return []
    name, term = group.fields[2].lower(), group.fields[3]
    case = len(group.fields) > 4 and group.fields[4] == "1"
    regex = len(group.fields) > 5 and group.fields[5] == "1"
    flags = 0 if case else re.IGNORECASE
    out = []
    for record in records:
        value = record.fields.get(name, "")
        if not value:
            continue
        if regex:
            try:
                hit = re.search(term, value, flags) is not None
            except re.error:
                return []
        elif name in ("keywords", "groups"):
            hit = any(w == term if case else w.lower() == term.lower() for w in _words(value))
        else:
            hit = (term in value) if case else (term.lower() in value.lower())
        if hit:
            out.append(record)
    return out


def apply_groups(source: str, text: str, records: list[Record]) -> list[Note]:
    """Add each group's path to its members' ``keywords``; one note saying what was done."""
    groups = read_groups(text)
    if not groups:
        return []
    placed: set[str] = set()
    used, skipped = 0, []
    for group in groups:
        if group.kind not in MEMBERSHIP:
            skipped.append(group)
            continue
        members = _members(group, records)
        if members:
            used += 1
        tag = " > ".join(group.path)
        for record in members:
            have = record.fields.get("keywords", "")
            if tag not in _words(have):
                record.fields["keywords"] = ", ".join(k for k in (have, tag) if k)
            placed.add(record.key)
    found = _START.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found else 0
    message = (
        f"JabRef groups: {len(groups)} group(s) read as themes, "
        f"{len(placed)} entries placed in {used} of them (as keywords 'Parent > Child')"
    )
    if skipped:
        kinds = ", ".join(sorted({g.kind for g in skipped}))
        message += f"; {len(skipped)} group(s) without stored members left out ({kinds})"
    return [Note("JabRef groups", source, line, "", message)]
