"""Honeywell SYN M CR menu commands and the ACK/ENQ/NAK reply after each command."""
import pytest

from protocols.devices.scanners.honeywell import (MenuCommandError, MenuSetting, menu_command, parse_menu_reply,
                                                  reply_complete)


def test_volatile_and_permanent_commands_group_same_tags_with_commas():
    settings = [MenuSetting("232", "BAD", "5"), MenuSetting("232", "WRD", "2"), MenuSetting("SUF", "BK2", "990D0A")]
    assert menu_command(settings) == b"\x16M\r232BAD5,WRD2;SUFBK2990D0A!"
    assert menu_command(settings, permanent=True) == b"\x16M\r232BAD5,WRD2;SUFBK2990D0A."


@pytest.mark.parametrize("text", ["SUF", "suf bk2", "SUFBK2990D0A;x", "SUFBK2.1"])
def test_malformed_settings_are_refused(text):
    with pytest.raises(MenuCommandError):
        MenuSetting.parse(text)


def test_an_empty_command_is_refused():
    with pytest.raises(MenuCommandError, match="at least one"):
        menu_command([])


def test_reply_gives_each_command_its_status():
    response = parse_menu_reply(b"\x16M\r232BAD5\x06,WRD9\x15;ZZZQQQ1\x05!")
    assert [(r.command, r.status) for r in response.replies] == [
        ("232BAD5", "ACK"), ("232WRD9", "NAK"), ("ZZZQQQ1", "ENQ")]
    assert not response.permanent and not response.accepted
    assert [r.meaning for r in response.refused()] == ["data out of range for this setting",
                                                       "unknown tag or subtag (not on this model?)"]


def test_query_reply_lists_current_settings():
    response = parse_menu_reply(b"CBRENA1\x06,SSX0\x06,CK20\x06,MIN2\x06,MAX60\x06.")
    assert response.accepted and response.permanent
    assert [r.command for r in response.replies] == ["CBRENA1", "CBRSSX0", "CBRCK20", "CBRMIN2", "CBRMAX60"]


@pytest.mark.parametrize("reply, message", [
    (b"232BAD5\x06", "does not end"),
    (b"232BAD5!", "no ACK/ENQ/NAK"),
    (b"232\xffBAD5\x06!", "not ASCII"),
    (b"", "does not end"),
])
def test_bad_replies_say_what_is_wrong(reply, message):
    with pytest.raises(MenuCommandError, match=message):
        parse_menu_reply(reply)


def test_reply_complete_waits_for_the_storage_character():
    assert not reply_complete(b"232BAD5\x06")
    assert reply_complete(b"232BAD5\x06.\r\n")
