"""Sound (and, where the platform has it, vibration) for good and bad scans.

The two short WAVs are generated on first use into the app's cache folder, so nothing binary is committed.
A handheld or CI machine with no audio device must still scan: every audio or vibration failure is logged
once and then ignored.
"""
import logging
import math
import struct
import tempfile
import wave
from pathlib import Path

log = logging.getLogger(__name__)
RATE = 16_000
TONES = {  # tone -> (frequencies in Hz played one after the other, seconds each); low and long means "wrong"
    "good": ((1760,), 0.08),
    "bad": ((330, 220), 0.18),
}
VIBRATE_SECONDS = {"good": 0.05, "bad": 0.4}


def write_tone(path: Path, frequencies: tuple[int, ...], seconds: float) -> Path:
    """Write a mono 16-bit WAV of sine beeps with a short fade, so the speaker does not click."""
    frames = bytearray()
    per_beep = int(RATE * seconds)
    fade = max(1, per_beep // 10)
    for freq in frequencies:
        for n in range(per_beep):
            envelope = min(1.0, n / fade, (per_beep - n) / fade)
            frames += struct.pack("<h", int(12_000 * envelope * math.sin(2 * math.pi * freq * n / RATE)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return path


class ScanFeedbackPlayer:
    """Play the sound of a feedback tone and vibrate; silently a no-op where neither exists."""

    def __init__(self, folder: str | None = None):
        self.folder = Path(folder or tempfile.gettempdir()) / "wes-handheld-sounds"
        self._sounds: dict[str, object] | None = None
        self._vibrator = self._find_vibrator()

    def play(self, tone: str) -> None:
        if tone not in TONES:
            return
        sound = self._load().get(tone)
        try:
            if sound is not None:
                sound.stop()
                sound.play()
            if self._vibrator is not None:
                self._vibrator.vibrate(VIBRATE_SECONDS[tone])
        except Exception as err:  # no audio device or no vibrator permission: the colour still tells
            log.info("scan feedback sound/vibration unavailable: %s", err)
            self._sounds, self._vibrator = {}, None

    def _load(self) -> dict:
        if self._sounds is None:
            self._sounds = {}
            try:
                from kivy.core.audio import SoundLoader
                self.folder.mkdir(parents=True, exist_ok=True)
                for tone, (frequencies, seconds) in TONES.items():
                    path = write_tone(self.folder / f"{tone}.wav", frequencies, seconds)
                    self._sounds[tone] = SoundLoader.load(str(path))  # None when no audio provider works
            except Exception as err:
                log.info("scan sounds unavailable: %s", err)
        return self._sounds

    @staticmethod
    def _find_vibrator():
        try:
            from plyer import vibrator
        except ImportError:
            return None
        return vibrator
