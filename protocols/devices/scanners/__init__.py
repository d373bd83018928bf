"""Scanner protocols, sans I/O: SSI packets, Honeywell menu commands, Android intents, line framing, profiles."""
from .android import IntentError, intent_extras_to_raw, intent_extras_to_scan
from .framing import AffixFramer, LineCodec, ScanFrame, ScannerStep
from .honeywell import MenuCommandError, MenuSetting, menu_command, parse_menu_reply
from .profiles import PROFILES, ScannerProfile, profile
from .ssi import BadPacket, NakCause, Opcode, Packet, Source, SsiError, SsiFramer, checksum
from .ssi_session import DecodedScan, SsiHostSession

__all__ = ["PROFILES", "AffixFramer", "BadPacket", "DecodedScan", "IntentError", "LineCodec", "MenuCommandError",
           "MenuSetting", "NakCause", "Opcode", "Packet", "ScanFrame", "ScannerProfile", "ScannerStep", "Source",
           "SsiError", "SsiFramer", "SsiHostSession", "checksum", "intent_extras_to_raw", "intent_extras_to_scan",
           "menu_command", "parse_menu_reply", "profile"]
