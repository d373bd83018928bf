"""Honeywell menu commands: build `SYN M CR` commands and read the ACK/ENQ/NAK the scanner puts after each.

A command is TAG (3 characters) + SUBTAG (3) + data. Several go in one message: commands with the same tag
as the one before are joined with ',' and give only SUBTAG + data; a new tag starts after ';'. The message
ends with '!' (volatile: lost at power off) or '.' (permanent: saved). The scanner echoes the message with
a status byte after every command: ACK (done), ENQ (unknown tag/subtag) or NAK (data out of range).
"""
import re
from dataclasses import dataclass

PREFIX = b"\x16M\r"   # SYN M CR
VOLATILE, PERMANENT = "!", "."
ACK, ENQ, NAK = "\x06", "\x05", "\x15"
STATUS_NAMES = {ACK: "ACK", ENQ: "ENQ", NAK: "NAK"}
_TAG = re.compile(r"^[0-9A-Z]{3}$")
_DATA = re.compile(r"^[0-9A-Za-z?*^&]*$")  # '?' asks the setting, '^' the default, '*' the range


class MenuCommandError(ValueError):
    """Raise when a menu command cannot be built or a reply cannot be read; str(err) says why."""


@dataclass(frozen=True)
class MenuSetting:
    """One menu command: tag, subtag and data, e.g. MenuSetting("SUF", "BK2", "990D0A")."""

    tag: str
    subtag: str
    data: str = ""

    def __post_init__(self):
        if not (_TAG.match(self.tag) and _TAG.match(self.subtag)):
            raise MenuCommandError(f"tag {self.tag!r} and subtag {self.subtag!r} must be 3 capital letters/digits")
        if not _DATA.match(self.data):
            raise MenuCommandError(f"data {self.data!r} may hold only letters, digits, '?', '*', '^' and '&'")

    @classmethod
    def parse(cls, text: str) -> "MenuSetting":
        """Read 'SUFBK2990D0A' as tag SUF, subtag BK2, data 990D0A."""
        if len(text) < 6:
            raise MenuCommandError(f"{text!r} is not a menu command: it needs a 3-character tag and subtag")
        return cls(text[:3].upper(), text[3:6].upper(), text[6:])

    @property
    def code(self) -> str:
        return self.tag + self.subtag + self.data


def menu_command(settings: list[MenuSetting], permanent: bool = False) -> bytes:
    """Return the bytes of one SYN M CR message that applies every setting, volatile unless permanent."""
    if not settings:
        raise MenuCommandError("a menu command needs at least one setting")
    return PREFIX + (menu_body(settings) + (PERMANENT if permanent else VOLATILE)).encode("ascii")


def menu_body(settings: list[MenuSetting]) -> str:
    """Join settings with ',' (same tag as the previous one) or ';' (a new tag)."""
    text, previous = "", None
    for setting in settings:
        if previous is None:
            text += setting.code
        elif setting.tag == previous:
            text += "," + setting.subtag + setting.data
        else:
            text += ";" + setting.code
        previous = setting.tag
    return text


@dataclass(frozen=True)
class MenuReply:
    """The scanner's answer to one command: the command echoed and ACK, ENQ or NAK."""

    command: str
    status: str

    @property
    def accepted(self) -> bool:
        return self.status == "ACK"

    @property
    def meaning(self) -> str:
        return {"ACK": "done", "ENQ": "unknown tag or subtag (not on this model?)",
                "NAK": "data out of range for this setting"}[self.status]


@dataclass(frozen=True)
class MenuResponse:
    """A whole reply message: one MenuReply per command, and whether it was saved permanently."""

    replies: tuple[MenuReply, ...]
    permanent: bool

    @property
    def accepted(self) -> bool:
        return all(r.accepted for r in self.replies)

    def refused(self) -> list[MenuReply]:
        return [r for r in self.replies if not r.accepted]


def parse_menu_reply(reply: bytes) -> MenuResponse:
    """Read a menu reply (with or without the SYN M CR echo), or raise MenuCommandError."""
    data = reply[len(PREFIX):] if reply.startswith(PREFIX) else reply
    try:
        text = data.decode("ascii").strip("\r\n")
    except UnicodeDecodeError:
        raise MenuCommandError(f"menu reply {reply!r} is not ASCII: wrong baud rate or not in menu mode?") from None
    if not text or text[-1] not in (VOLATILE, PERMANENT):
        raise MenuCommandError(f"menu reply {reply!r} does not end with '!' or '.': incomplete, read longer")
    replies, tag = [], None
    for part, separator in _split_commands(text[:-1]):
        if not part or part[-1] not in STATUS_NAMES:
            raise MenuCommandError(f"menu reply part {part!r} has no ACK/ENQ/NAK after it")
        command = part[:-1]
        if separator == "," and tag is not None:
            command = tag + command
        if len(command) < 6 and STATUS_NAMES[part[-1]] == "ACK":
            raise MenuCommandError(f"menu reply part {part!r} is too short to be tag + subtag")
        tag = command[:3]
        replies.append(MenuReply(command, STATUS_NAMES[part[-1]]))
    return MenuResponse(tuple(replies), text[-1] == PERMANENT)


def _split_commands(text: str) -> list[tuple[str, str]]:
    """Split at ',' and ';' that follow a status byte (data itself never holds them)."""
    parts, current, separator = [], "", ";"
    for char in text:
        if char in ",;" and current and current[-1] in STATUS_NAMES:
            parts.append((current, separator))
            current, separator = "", char
        else:
            current += char
    parts.append((current, separator))
    return parts


def reply_complete(buffer: bytes) -> bool:
    """Say whether a reply buffer holds a whole message (it ends with the storage character)."""
    return buffer.rstrip(b"\r\n")[-1:] in (b"!", b".")
